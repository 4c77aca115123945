// An incremental run identifies every input before it reads. A file read before that could not
// be opened then (a transient EMFILE, a permission changed for a moment) and could be opened
// moments later was taken for deleted: archived, its events kept, and then read again from its
// start as a new file. That run published every one of its events twice (exit 0, no warning),
// and removed the state. Now it is an error for that run, which reads nothing of it and saves
// the mark it had: the next run reads it from there.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  INCREMENTAL_COMMANDS,
  incrementalArgs,
  publishedNumbers,
} from "../helpers/incremental-commands.js";
import { appendNumbered } from "../helpers/numbered-input.js";
import { runBin, runWithHook } from "../helpers/run-bin.js";
import { tempDir } from "../helpers/temp-dir.js";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("an input file not opened when an incremental run identifies it", () => {
  for (const command of INCREMENTAL_COMMANDS) {
    it(`${command}: an error naming it, nothing read twice, and the next run continues`, async () => {
      const input = tempDir();
      const out = join(tempDir(), "out");
      const args = incrementalArgs(command, input, out);
      const live = join(input, "ch.jsonl");
      appendNumbered(live, 0, 5);
      appendNumbered(join(input, "other.jsonl"), 5, 5);
      expect((await runBin(args)).code).toBe(0);
      appendNumbered(live, 10, 5);
      const other = join(input, "other.jsonl");
      appendNumbered(other, 15, 5);
      const denied = await runWithHook(
        "deny-identify.cjs",
        { DENY_IDENTIFY: "/ch\\.jsonl$" },
        args,
      );
      expect(denied.stderr).toContain(`denied: ${live}`);
      const why =
        "could not be opened to identify it; not read, the next run reads it from where the last one left it";
      expect(denied.stderr).not.toContain("kept as archived");
      // Published without it (its new lines wait for the next run, which continues its mark),
      // each event once; the partitioned export too (it published nothing, exit 1, so under
      // rotation faster than its runs it never published at all).
      expect(denied.stderr).toContain(`${live}: unreadable_file: ${why}`);
      expect(denied.code, denied.stderr).toBe(0);
      const published = [...range(10), ...range(20).slice(15)];
      expect(await publishedNumbers(command, out)).toEqual(published);
      // Its state saved: what it read of the other file stays when retention deletes that file
      // (with no state saved, the next run took those events back, and they were lost).
      rmSync(other);
      const next = await runBin(args);
      expect(next.code, next.stderr).toBe(0);
      expect(next.stderr).not.toContain("full run");
      expect(await publishedNumbers(command, out)).toEqual(range(20));
    });
  }
});
