// Listing a directory and listing it again is not one instant: a segment compressed in between
// frees its inode (the plain file is unlinked), and the next file created, the next segment,
// often gets it. That file is another one: its birth time tells it apart from the file the first
// listing held, where the file system records one. Keyed by device and inode alone, it was
// taken for the file already listed and left out, and its events were in no output.
import * as fs from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { tempDir } from "../helpers/temp-dir.js";

// Runs between the two listings of `dir` (the second readdir of it).
let between: (() => void) | undefined;
let listings = 0;
// Runs before each stat the code under test makes (the listing identifies files by stat).
let beforeStat: ((path: string) => void) | undefined;
// Stats as a file system that records no birth time gives them (birthtime 0).
let noBirthTimes = false;
function withoutBirth<T>(stat: T): T {
  if (
    noBirthTimes &&
    stat !== undefined &&
    typeof (stat as { birthtimeNs?: unknown }).birthtimeNs === "bigint"
  ) {
    Object.defineProperty(stat, "birthtimeNs", { value: 0n });
    Object.defineProperty(stat, "birthtimeMs", { value: 0n });
  }
  return stat;
}
vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>();
  const readdirSync = ((...args: Parameters<typeof real.readdirSync>) => {
    listings++;
    if (listings === 2) between?.();
    return real.readdirSync(...args);
  }) as typeof real.readdirSync;
  const statSync = ((...args: Parameters<typeof real.statSync>) => {
    beforeStat?.(String(args[0]));
    return withoutBirth(real.statSync(...args));
  }) as typeof real.statSync;
  const fstatSync = ((...args: Parameters<typeof real.fstatSync>) =>
    withoutBirth(real.fstatSync(...args))) as typeof real.fstatSync;
  const mocked = { readdirSync, statSync, fstatSync };
  return { ...real, default: { ...real, ...mocked }, ...mocked };
});

const { resolveInputs } = await import("../../src/exporter/plan/resolve-inputs.js");

// The segment is compressed (its .gz elsewhere, for this test) and unlinked between the two
// listings; the next segment is created, and is given the freed inode. True once it was.
// ext4 gives a new file the lowest free inode of its group: files that other processes delete
// meanwhile (the rest of the suite) come first, so this keeps creating files, holding each one
// that did not get it, until one does (200 tries were too few beside the suite in CI).
function reuseInodeOf(segment: string, dir: string): () => boolean {
  const ino = fs.statSync(segment).ino;
  const spares = tempDir();
  let reused = false;
  between = () => {
    fs.unlinkSync(segment);
    for (let k = 0; k < 20_000 && !reused; k++) {
      const next = join(dir, `user.2025-03-01T00-00-0${k % 10}.${k}.jsonl`);
      fs.writeFileSync(next, '{"b":2}\n');
      reused = fs.statSync(next).ino === ino;
      if (!reused) fs.renameSync(next, join(spares, `spare-${k}`));
    }
  };
  return () => reused;
}

describe.each([
  ["with birth times", false],
  ["on a file system without birth times", true],
])("a file given a freed inode between the two listings of its directory, %s", (_, noBirth) => {
  it("is read as the new file it is, not taken for the one listed first", () => {
    noBirthTimes = noBirth;
    const dir = tempDir();
    const segment = join(dir, "user.2025-03-01T00-00-00.000Z.jsonl");
    fs.writeFileSync(segment, '{"a":1}\n');
    const reused = reuseInodeOf(segment, dir);
    listings = 0;
    const { files } = resolveInputs([dir]);
    noBirthTimes = false;
    expect(reused()).toBe(true);
    const names = files.map((f) => f.slice(dir.length + 1));
    expect(names.filter((n) => n.includes("2025-03-01T00-00-0"))).toHaveLength(2);
  });

  it("still reads a file renamed between the listings once", () => {
    noBirthTimes = noBirth;
    const dir = tempDir();
    const live = join(dir, "user.jsonl");
    fs.writeFileSync(live, '{"a":1}\n');
    const segment = join(dir, "user.2025-03-01T00-00-00.000Z.jsonl");
    between = () => {
      fs.renameSync(live, segment);
      fs.appendFileSync(segment, '{"a":2}\n');
    };
    listings = 0;
    const { files } = resolveInputs([dir]);
    noBirthTimes = false;
    expect(files).toEqual([live]);
  });

  it("knows a live file that took a listed segment's freed inode when it is renamed", () => {
    noBirthTimes = noBirth;
    const dir = tempDir();
    const segment = join(dir, "user.2025-03-01T00-00-00.000Z.jsonl");
    fs.writeFileSync(segment, '{"a":1}\n');
    const ino = fs.statSync(segment).ino;
    const live = join(dir, "user.jsonl");
    fs.writeFileSync(live, '{"b":1}\n');
    let reused = false;
    // The segment, identified, is compressed and unlinked; the next live file gets its inode,
    // before the listing identifies the live file.
    beforeStat = (path) => {
      if (path !== live || reused) return;
      beforeStat = undefined;
      // Made first: a new folder would take the freed inode.
      const aside = tempDir();
      fs.renameSync(live, join(aside, "older"));
      fs.unlinkSync(segment);
      for (let k = 0; k < 20_000 && !reused; k++) {
        fs.writeFileSync(live, '{"c":1}\n');
        reused = fs.statSync(live).ino === ino;
        if (!reused) fs.renameSync(live, join(aside, `spare-${k}`));
      }
    };
    // Then rotated: the live file is renamed to a segment between the listings.
    const rotated = join(dir, "user.2025-03-01T00-00-01.000Z.jsonl");
    between = () => fs.renameSync(live, rotated);
    listings = 0;
    const { files } = resolveInputs([dir]);
    noBirthTimes = false;
    beforeStat = undefined;
    expect(reused).toBe(true);
    // The segment (gone: the run reports it) and the live file, read under its new name once.
    expect(files).toEqual([segment, live]);
  });
});
