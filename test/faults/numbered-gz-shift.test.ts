// logrotate's numbered rotation renames every compressed segment on (`X.jsonl.1.gz` to
// `X.jsonl.2.gz`, `.2.gz` to `.3.gz`, …). An incremental run plans a `.gz` by its path: when the
// names shifted after the run identified its inputs, the file at a `.gz`'s name was the next one,
// planned and read under the mark and identity of the one identified. That run saved a state no
// later run would continue ("a .gz offset mid-file"), and the next run was a full one that dropped
// every archived file's events (an adversary's find, with logrotate every 0.3 s). The one
// identified has gone from that name, as a deleted one has: its mark is kept, and the next run
// finds it under its new name.
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  INCREMENTAL_COMMANDS,
  incrementalArgs,
  publishedNumbers,
} from "../helpers/incremental-commands.js";
import { appendNumbered } from "../helpers/numbered-input.js";
import { runBin } from "../helpers/run-bin.js";
import { runStoppedIn } from "../helpers/stopped-child.js";
import { tempDir } from "../helpers/temp-dir.js";

// A compressed segment holding the numbers from..from+count-1.
function gzipped(path: string, from: number, count: number): void {
  const plain = `${path}.plain`;
  appendNumbered(plain, from, count);
  writeFileSync(path, gzipSync(readFileSync(plain)));
  rmSync(plain);
}

describe("logrotate shifts the numbered .gz names while an incremental run plans", () => {
  it.each(INCREMENTAL_COMMANDS)("%s: no full run, no event lost or read twice", async (command) => {
    const input = tempDir();
    const out = join(tempDir(), "out");
    const args = incrementalArgs(command, input, out);
    const at = (n: number) => join(input, `ch.jsonl.${n}.gz`);
    gzipped(at(4), 100, 5); // deleted after the first run: archived
    gzipped(at(2), 0, 60); // larger than .1.gz once compressed
    gzipped(at(1), 60, 5);
    appendNumbered(join(input, "ch.jsonl"), 65, 5);
    expect((await runBin(args)).code).toBe(0);
    rmSync(at(4));
    const shifted = await runStoppedIn("plan", args, () => {
      renameSync(at(2), at(3));
      renameSync(at(1), at(2));
    });
    expect(shifted.code, shifted.stderr).toBe(0);
    const next = await runBin(args);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).not.toContain("full run");
    const all = [...Array(70).keys(), 100, 101, 102, 103, 104];
    expect(await publishedNumbers(command, out)).toEqual(all);
  });
});
