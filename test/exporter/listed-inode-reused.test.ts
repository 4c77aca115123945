// A one-shot run identifies each file as it lists it. An empty file has no first bytes to
// compare, and a freed inode is given to the next file created: the live file listed empty,
// then rotated and compressed, was taken for the next file that got its inode. The inode's
// birth time tells them apart where the file system records it (ext4, tmpfs, btrfs, xfs).
import { renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { followListed, listFile } from "../../src/exporter/plan/follow-listed.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("a listed empty file whose inode is given to a new file", () => {
  it("is not taken for the new file at its path", async () => {
    const dir = tempDir();
    const live = join(dir, "user.jsonl");
    writeFileSync(live, "");
    const listed = listFile(live, true);
    expect(listed?.head?.bytes).toBe(0);
    // Where the file system records birth times (this test's premise; ext4 here).
    expect(listed?.birthNs).toBeDefined();
    if (listed === undefined) return;
    // Rotation: renamed, then (compressed and) unlinked, so the inode is free again.
    renameSync(live, join(dir, "user.1.jsonl"));
    unlinkSync(join(dir, "user.1.jsonl"));
    // Past the file system's timestamp granularity, as a later write is.
    await new Promise((resolve) => setTimeout(resolve, 20));
    writeFileSync(live, '{"later":true}\n');
    // The next file created given the freed inode, as ext4 does. Simulated: waiting for the
    // kernel to do it lost the race to the rest of the suite's processes in CI.
    const now = statSync(live, { bigint: true });
    const sameInode = { ...listed, dev: now.dev.toString(), ino: now.ino.toString() };
    expect(followListed(live, sameInode, new Map())).toBeUndefined();
  });
});
