import { appendFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { identifyFile } from "../../../src/exporter/plan/file-identity.js";
import { findRenamed } from "../../../src/exporter/plan/follow-rotation.js";
import { identifyInputs } from "../../../src/exporter/plan/match-state.js";
import { tempDir } from "../../helpers/temp-dir.js";

// An empty file has no first bytes: its inode is all that says who it is, and the file system
// gives a freed inode to the next file created. A file born after the empty one was last
// modified is that next file, not the empty one renamed.

function emptyMark() {
  const dir = tempDir();
  const path = join(dir, "user.20250301T000000000Z.jsonl");
  writeFileSync(path, "");
  const identity = identifyFile(path);
  if (identity === undefined) throw new Error("unreadable");
  return { dir, mark: { path, identity, offset: 0 } };
}

describe("findRenamed, for a file empty when read", () => {
  it("follows it renamed, written to since", () => {
    const { dir, mark } = emptyMark();
    const to = join(dir, "user.jsonl.1");
    renameSync(mark.path, to);
    appendFileSync(to, "late line\n");
    expect(findRenamed(mark, [to], identifyInputs([to]))).toBe(to);
  });

  it("does not take a file born after it was last modified for it, inode or not", () => {
    const { dir, mark } = emptyMark();
    const to = join(dir, "system.jsonl");
    renameSync(mark.path, to);
    appendFileSync(to, "line\n");
    // As if the file read had been modified a second before this one was born: the same inode
    // then means the inode was freed and given again.
    const birth = Number(statSync(to, { bigint: true }).birthtimeMs);
    const earlier = { ...mark, identity: { ...mark.identity, mtime_ms: birth - 1000 } };
    const found = findRenamed(earlier, [to], identifyInputs([to]));
    // Where the file system keeps no creation time (Node gives 0), the inode alone decides.
    expect(found).toBe(birth === 0 ? to : undefined);
  });
});
