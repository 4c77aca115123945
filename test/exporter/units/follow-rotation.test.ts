import { appendFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { identifyFile } from "../../../src/exporter/plan/file-identity.js";
import { findRenamed, mismatch } from "../../../src/exporter/plan/follow-rotation.js";
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

// logrotate's retention deletes the oldest `.N.gz`, then gzips `.N` into a file of that very
// name, which the file system may give the inode just freed.
describe("mismatch, for a .gz on the inode of the .gz read", () => {
  function gzMark() {
    const path = join(tempDir(), "user.jsonl.2.gz");
    writeFileSync(path, gzipSync("old\n"));
    const identity = identifyFile(path);
    if (identity === undefined) throw new Error("unreadable");
    return { path, mark: { path, identity, offset: identity.size } };
  }

  it("takes one born after the one read was last modified for a new file", () => {
    const { path, mark } = gzMark();
    writeFileSync(path, gzipSync("new\nand more\n"));
    const birth = Number(statSync(path, { bigint: true }).birthtimeMs);
    // As if the .gz read had been modified a second before this one was born.
    const earlier = { ...mark, identity: { ...mark.identity, mtime_ms: birth - 1000 } };
    // Where the file system keeps no creation time (Node gives 0), a full run, as before.
    expect(mismatch(earlier, path, identifyFile(path))).toBe(
      birth === 0 ? "changed (a .gz file is re-read whole)" : "was replaced",
    );
  });

  it("one rewritten in place (born before it was read) is changed: gzip cannot be continued", () => {
    const { path, mark } = gzMark();
    writeFileSync(path, gzipSync("old\nand more\n"));
    expect(mismatch(mark, path, identifyFile(path))).toBe("changed (a .gz file is re-read whole)");
  });
});
