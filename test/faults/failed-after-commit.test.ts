// An incremental ETL replaces its events file, then fails writing what follows (its report or
// state: a full disk). The file it replaced, which the state still names, is kept as the spare,
// and the next run puts it back and continues. The run's failure handling removed that spare, so
// the next run found the events file changed, did a full run, and dropped every archived file's
// events (an adversary's find: a small tmpfs with 452 KiB free).
import { rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { incrementalArgs, publishedNumbers } from "../helpers/incremental-commands.js";
import { appendNumbered } from "../helpers/numbered-input.js";
import { runBin, runWithHook } from "../helpers/run-bin.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("an incremental ETL that fails after replacing its events file", () => {
  it.each([
    ["its report", "telemetry_report\\.html"],
    ["its state", "\\.etl-state\\.json"],
  ])(
    "fails writing %s: the next run continues, the archived files' events kept",
    async (_, failing) => {
      const input = tempDir();
      const out = join(tempDir(), "out");
      const args = incrementalArgs("etl", input, out);
      const segment = join(input, "ch.20260101T000000000Z.jsonl");
      appendNumbered(segment, 0, 5);
      appendNumbered(join(input, "ch.jsonl"), 5, 5);
      expect((await runBin(args)).code).toBe(0);
      rmSync(segment); // archived by the next run, its events kept
      appendNumbered(join(input, "ch.jsonl"), 10, 5);
      expect((await runBin(args)).code).toBe(0);
      appendNumbered(join(input, "ch.jsonl"), 15, 5);
      const failed = await runWithHook("fail-open.cjs", { FAIL_OPEN: failing }, args);
      expect(failed.code, failed.stderr).toBe(1);
      expect(failed.stderr).toContain("ENOSPC");
      const next = await runBin(args);
      expect(next.code, next.stderr).toBe(0);
      expect(next.stderr).not.toContain("full run");
      expect(await publishedNumbers("etl", out)).toEqual([...Array(20).keys()]);
    },
  );
});
