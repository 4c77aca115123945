// A live file listed, then rotated to a segment, whose compression has put its `.gz` in place but
// not yet unlinked the plain file: a later listing of the directory finds the `.gz` (and reads
// it, whole), while following the live file by its inode finds the plain segment. Read under
// both names, the segment's events were exported twice (a stress run of an export beside a
// Tracker rotating every 64 KiB).
import { closeSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { followListed, LISTED_ELSEWHERE, listFile } from "../../src/exporter/plan/follow-listed.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("a listed file renamed to a segment that is being compressed", () => {
  it("is left to the .gz the run reads, not read under its plain name too", () => {
    const dir = tempDir();
    const live = join(dir, "user.jsonl");
    const text = '{"k":1}\n{"k":2}\n';
    writeFileSync(live, text);
    const listed = listFile(live, true);
    if (listed === undefined) throw new Error("not listed");
    const segment = join(dir, "user.2025-03-01T00-00-00.000Z.jsonl");
    renameSync(live, segment);
    writeFileSync(live, '{"k":3}\n');
    writeFileSync(`${segment}.gz`, gzipSync(text));
    expect(followListed(live, listed, new Set([live, `${segment}.gz`]))).toBe(LISTED_ELSEWHERE);
    // Without the .gz among the run's files, the segment is read where it is.
    const followed = followListed(live, listed, new Set([live]));
    expect(followed).toMatchObject({ path: segment, compressed: false });
    if (typeof followed === "object") closeSync(followed.fd);
  });
});
