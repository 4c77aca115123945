// A writer rotates its live file while an incremental run identifies its inputs: the run's open
// finds nothing there (ENOENT), and the writer's next event makes a new live file at once. The
// run planned that new file by its path alone, with no identity, or took the rotated file for one
// it could not open: either way it saved no state, so the next run took back every event it read
// and read them again from their files, losing those that retention deleted in between (most
// events, with segments deleted within about one run). The file gone when identified is now gone
// for the run (the new file is the next run's), and the run saves its state.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  INCREMENTAL_COMMANDS,
  incrementalArgs,
  publishedNumbers,
} from "../helpers/incremental-commands.js";
import { appendNumbered } from "../helpers/numbered-input.js";
import { runBin, runWithHook } from "../helpers/run-bin.js";
import type { ChildResult } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";

// Lines of the numbers from..from+count-1, as appendNumbered writes them.
function numberedText(from: number, count: number): string {
  const path = join(tempDir(), "lines.jsonl");
  appendNumbered(path, from, count);
  return readFileSync(path, "utf8");
}

// The built CLI with `args`, `path` rotated as the run identifies its inputs (rotate-on-identify.cjs).
function runRotating(args: readonly string[], path: string, next: string): Promise<ChildResult> {
  const env = {
    ROTATE_ON_IDENTIFY: `${path.replace(/[.]/g, "\\.")}$`,
    ROTATE_TO: path.replace(/\.jsonl$/, ".20260101T005000000Z.jsonl"),
    ROTATE_NEXT: next,
  };
  return runWithHook("rotate-on-identify.cjs", env, args);
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe("a live file rotated while an incremental run identifies its inputs", () => {
  for (const command of INCREMENTAL_COMMANDS) {
    for (const which of ["a file read before", "a new file"] as const) {
      it(`${command}, ${which}: the run saves its state; nothing is lost or read twice`, async () => {
        const input = tempDir();
        const out = join(tempDir(), "out");
        const args = incrementalArgs(command, input, out);
        const live = join(input, "ch.jsonl");
        const other = join(input, "other.jsonl");
        appendNumbered(live, 0, 5);
        appendNumbered(other, 5, 5);
        expect((await runBin(args)).code).toBe(0);
        appendNumbered(live, 10, 5);
        appendNumbered(other, 15, 5);
        const fresh = join(input, "fresh.jsonl");
        if (which === "a new file") appendNumbered(fresh, 20, 5);
        const rotated = which === "a new file" ? fresh : live;
        const raced = await runRotating(args, rotated, numberedText(25, 5));
        expect(raced.code, raced.stderr).toBe(0);
        expect(raced.stderr).not.toContain("unreadable_file");
        expect(raced.stderr).toMatch(/vanished_file[^\n]*deleted after the run listed it/);
        // Retention deletes a file the run read; its events must stay.
        rmSync(other);
        const next = await runBin(args);
        expect(next.code, next.stderr).toBe(0);
        expect(next.stderr).not.toContain("full run");
        const all = which === "a new file" ? range(0, 30) : [...range(0, 20), ...range(25, 30)];
        expect(await publishedNumbers(command, out)).toEqual(all);
      });
    }
  }

  // A quiet run still names what it listed and did not read: the only trace of events that are
  // in no output when retention deleted the file (docs/cli.md, --quiet).
  it("etl --quiet: one line names the file it listed and did not read", async () => {
    const input = tempDir();
    const out = join(tempDir(), "out");
    const args = [...incrementalArgs("etl", input, out), "-q"];
    appendNumbered(join(input, "ch.jsonl"), 0, 5);
    expect((await runBin(args)).stderr).toBe("");
    const fresh = join(input, "fresh.jsonl");
    appendNumbered(fresh, 5, 5);
    const raced = await runRotating(args, fresh, numberedText(10, 5));
    expect(raced.code, raced.stderr).toBe(0);
    expect(raced.stderr).toBe(
      `warning: vanished_file: 1 file deleted after the run listed it, before it was read; its events are not in this run (first: ${fresh})\n`,
    );
  });
});
