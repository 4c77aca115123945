// A Parquet encoder thread that runs but never says it is loaded. Requests are held until it
// does (encoder-thread.ts), so they were never answered, and the run waited forever with nothing
// on stderr. Real case: the worker's bundle on disk from another build than the main one (a
// package upgraded or downgraded as a run starts its encoder; `compact` starts it only after
// reading every part's footer); one from before the `ready` message never sends it (seen with
// dist/cli/parquet-encoder-worker.cjs of commit 40ed78d beside a later main.cjs: the CLI hung).
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { ColumnBuilder, type EventColumns } from "../../../src/exporter/engine/event-columns.js";
import { EncoderThread } from "../../../src/exporter/sinks/parquet/encoder-thread.js";

// Alive and listening, as an encoder thread of another build is, but it never says so.
const neverReady = () =>
  new Worker("require('node:worker_threads').parentPort.on('message', () => {})", {
    eval: true,
  });

const refused = (): never => {
  throw Object.assign(new Error("Worker initialization failure: EAGAIN"), {
    code: "ERR_WORKER_INIT_FAILED",
  });
};

// A block of a few events (fresh memory each call: a request moves it).
function block(): EventColumns {
  const builder = new ColumnBuilder();
  for (let n = 0; n < 5; n++) builder.add("telemetry_event_v1", "user", `e${n}`, n * 1000, "{}");
  return builder.done();
}

describe("the Parquet encoder when its thread never says it is loaded", () => {
  it("gives the thread up after its wait and encodes the requests here, the same bytes", async () => {
    const thread = new EncoderThread("test 1.0", 2, neverReady, 300);
    const replies = [
      thread.request({ kind: "rows", columns: block() }),
      thread.request({ kind: "finish" }),
      thread.request({ kind: "file", columns: block(), omit: ["channel"] }),
    ];
    const here = new EncoderThread("test 1.0", 2, refused);
    const expected = [
      here.request({ kind: "rows", columns: block() }),
      here.request({ kind: "finish" }),
      here.request({ kind: "file", columns: block(), omit: ["channel"] }),
    ];
    try {
      const got = (await Promise.all(replies)).map((b) => Buffer.from(b));
      expect(got).toEqual((await Promise.all(expected)).map((b) => Buffer.from(b)));
      // Later requests too, in this thread.
      await expect(thread.request({ kind: "file", columns: block(), omit: [] })).resolves.toEqual(
        await here.request({ kind: "file", columns: block(), omit: [] }),
      );
    } finally {
      await Promise.all([thread.close(), here.close()]);
    }
  });
});
