// A live file listed, then rotated to a segment, whose compression has put its `.gz` in place but
// not yet unlinked the plain file: a later listing of the directory finds the `.gz` (and reads
// it, whole), while following the live file by its inode finds the plain segment. Read under
// both names, the segment's events were exported twice (a stress run of an export beside a
// Tracker rotating every 64 KiB).
import { closeSync, readFileSync, renameSync, writeFileSync } from "node:fs";
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
    const gz = `${segment}.gz`;
    // The .gz among the run's files, listed as the file there now (or named).
    for (const gzListed of [listFile(gz, true), undefined]) {
      const taken = new Map([
        [live, listed],
        [gz, gzListed],
      ]);
      expect(followListed(live, listed, taken)).toBe(LISTED_ELSEWHERE);
    }
    // Without the .gz among the run's files, the segment is read where it is.
    const followed = followListed(live, listed, new Map([[live, listed]]));
    expect(followed).toMatchObject({ path: segment, compressed: false });
    if (typeof followed === "object") closeSync(followed.fd);
  });

  // logrotate's numbered rotation: the run listed `X.2.gz` (an older segment), which was shifted
  // to `X.3.gz`; the file listed as `X.1` was renamed to `X.2` and compressed to a new `X.2.gz`.
  // That new .gz is not the one the run reads under the name: the file is read where it is (it
  // was left to the .gz, read nowhere, its events missing with no warning: an adversary's find).
  it("is read where it is when the run's file of that .gz name is another one, shifted on", () => {
    const dir = tempDir();
    const one = join(dir, "app.jsonl.1");
    const two = join(dir, "app.jsonl.2");
    writeFileSync(`${two}.gz`, gzipSync('{"k":0}\n'));
    writeFileSync(one, '{"k":1}\n{"k":2}\n');
    const listedOne = listFile(one, true);
    const listedTwoGz = listFile(`${two}.gz`, true);
    if (listedOne === undefined || listedTwoGz === undefined) throw new Error("not listed");
    renameSync(`${two}.gz`, join(dir, "app.jsonl.3.gz"));
    renameSync(one, two);
    writeFileSync(`${two}.gz`, gzipSync(readFileSync(two)));
    const taken = new Map([
      [one, listedOne],
      [`${two}.gz`, listedTwoGz],
    ]);
    const followed = followListed(one, listedOne, taken);
    expect(followed).toMatchObject({ path: two, compressed: false });
    if (typeof followed === "object") closeSync(followed.fd);
  });
});
