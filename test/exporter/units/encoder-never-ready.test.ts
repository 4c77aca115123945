// A Parquet encoder thread that runs but never says it is loaded: requests are held until it
// does (encoder-thread.ts), so they are never answered, and the run waits forever with nothing
// on stderr. Real case: the worker's bundle on disk is from another build than the main one (a
// package upgraded or downgraded as a run starts its encoder: `compact` starts it only after
// reading every part's footer), and a bundle from before the `ready` message never sends it;
// the CLI then hangs (seen: dist/cli/parquet-encoder-worker.cjs of commit 40ed78d beside this
// main.cjs). Known and not fixed yet: `it.fails` holds the current behaviour, and fails (to be
// turned into `it`) once such a thread is given up on.
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { ColumnBuilder } from "../../../src/exporter/engine/event-columns.js";
import { EncoderThread } from "../../../src/exporter/sinks/parquet/encoder-thread.js";

// Alive and listening, as an encoder thread of another build is, but it never says so.
const neverReady = () =>
  new Worker("require('node:worker_threads').parentPort.on('message', () => {})", {
    eval: true,
  });

describe("the Parquet encoder when its thread never says it is loaded", () => {
  it.fails("answers, or fails, its requests rather than holding them forever", async () => {
    const thread = new EncoderThread("test 1.0", 1000, neverReady);
    const builder = new ColumnBuilder();
    builder.add("telemetry_event_v1", "user", "e", 1000, "{}");
    const reply = thread.request({ kind: "file", columns: builder.done(), omit: [] });
    const waited = new Promise((resolve) => setTimeout(() => resolve("still held"), 3000));
    try {
      const outcome = await Promise.race([
        reply.then(
          () => "answered",
          () => "failed",
        ),
        waited,
      ]);
      expect(outcome).not.toBe("still held");
    } finally {
      await thread.close();
    }
  });
});
