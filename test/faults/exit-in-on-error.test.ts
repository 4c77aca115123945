// docs/sdk.md: onError's own failures are contained. An onError that ends the process
// (`process.exit(1)`) when a channel cannot be written was called in the middle of the flush,
// at exit, from the timer or on SIGTERM: the channels after the failing one, and every other tracker, were
// never written (an adversary's finds). Failures are now told once every channel of every
// tracker has been written.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runTs } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("an onError that calls process.exit()", () => {
  it.each(["exit", "timer", "signal"])(
    "during the %s flush: the other channels and trackers are written first",
    async (when) => {
      const directory = tempDir();
      const run = await runTs("test/fixtures/processes/exit-in-on-error.ts", [directory, when]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^telemetry failed: .*a\.jsonl could not be written \(EISDIR\)/);
      for (const [dir, channel] of [
        [directory, "b"],
        [directory, "c"],
        [join(directory, "second"), "d"],
      ] as const) {
        const [line] = readFileSync(join(dir, `${channel}.jsonl`), "utf8").split("\n");
        expect(JSON.parse(line as string)).toMatchObject({ channel, payload: { channel } });
      }
    },
  );
});
