// docs/sdk.md: onError's own failures are contained. An onError that ends the process
// (`process.exit(1)`) when a channel cannot be written was called in the middle of the flush,
// at exit as from the timer: the channels after the failing one were never written (an
// adversary's find). Failures are now told once every channel has been written.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runTs } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("an onError that calls process.exit()", () => {
  it.each(["exit", "timer"])(
    "during the %s flush: the other channels are written first",
    async (when) => {
      const directory = tempDir();
      const run = await runTs("test/fixtures/processes/exit-in-on-error.ts", [directory, when]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^telemetry failed: .*a\.jsonl could not be written \(EISDIR\)/);
      for (const channel of ["b", "c"]) {
        const [line] = readFileSync(join(directory, `${channel}.jsonl`), "utf8").split("\n");
        expect(JSON.parse(line as string)).toMatchObject({ channel, payload: { channel } });
      }
    },
  );
});
