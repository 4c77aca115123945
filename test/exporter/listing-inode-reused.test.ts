// Listing a directory and listing it again is not one instant: a segment compressed in between
// frees its inode (the plain file is unlinked), and the next file created, the next segment,
// often gets it. That file is another one: its birth time tells it apart from the file the first
// listing held, where the file system records one. Keyed by device and inode alone, it was
// taken for the file already listed and left out, and its events were in no output.
import * as fs from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { tempDir } from "../helpers/temp-dir.js";

// Runs between the two listings of `dir` (the second readdir of it).
let between: (() => void) | undefined;
let listings = 0;
// Runs before each stat the code under test makes (the listing identifies files by stat).
let beforeStat: ((path: string) => void) | undefined;
// Stats as a file system that records no birth time gives them (birthtime 0).
let noBirthTimes = false;
// The inode number each path's file reports: a freed inode given to the next file created.
// Simulated: waiting for the kernel to give it lost the race to the rest of the suite's
// processes (a file of theirs took it, and kept it) in CI, even with 20,000 files made.
const inodeOf = new Map<string, number>();
// Where each descriptor the code opened points, for its fstat.
const opened = new Map<number, string>();
function asListed<T>(stat: T, path: string | undefined): T {
  if (stat === undefined || stat === null) return stat;
  const ino = path === undefined ? undefined : inodeOf.get(resolve(path));
  const fields = stat as { ino?: unknown; birthtimeNs?: unknown };
  if (ino !== undefined) {
    const value = typeof fields.ino === "bigint" ? BigInt(ino) : ino;
    Object.defineProperty(stat, "ino", { value });
  }
  if (noBirthTimes && typeof fields.birthtimeNs === "bigint") {
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
    return asListed(real.statSync(...args), String(args[0]));
  }) as typeof real.statSync;
  const openSync = ((...args: Parameters<typeof real.openSync>) => {
    const fd = real.openSync(...args);
    opened.set(fd, String(args[0]));
    return fd;
  }) as typeof real.openSync;
  const fstatSync = ((...args: Parameters<typeof real.fstatSync>) =>
    asListed(real.fstatSync(...args), opened.get(args[0]))) as typeof real.fstatSync;
  const mocked = { readdirSync, statSync, openSync, fstatSync };
  return { ...real, default: { ...real, ...mocked }, ...mocked };
});

const { resolveInputs } = await import("../../src/exporter/plan/resolve-inputs.js");

// The segment is compressed (its .gz elsewhere, for this test) and unlinked between the two
// listings; the next segment is created, and is given the freed inode.
function reuseInodeOf(segment: string, dir: string): void {
  const ino = fs.statSync(segment).ino;
  between = () => {
    fs.unlinkSync(segment);
    const next = join(dir, "user.2025-03-01T00-00-01.000Z.jsonl");
    fs.writeFileSync(next, '{"b":2}\n');
    inodeOf.set(resolve(next), ino);
  };
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
    reuseInodeOf(segment, dir);
    listings = 0;
    const { files } = resolveInputs([dir]);
    noBirthTimes = false;
    inodeOf.clear();
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
      fs.renameSync(live, join(tempDir(), "older"));
      fs.unlinkSync(segment);
      fs.writeFileSync(live, '{"c":1}\n');
      inodeOf.set(resolve(live), ino);
      reused = true;
    };
    // Then rotated: the live file is renamed to a segment between the listings.
    const rotated = join(dir, "user.2025-03-01T00-00-01.000Z.jsonl");
    between = () => {
      fs.renameSync(live, rotated);
      inodeOf.delete(resolve(live));
      inodeOf.set(resolve(rotated), ino);
    };
    listings = 0;
    const { files } = resolveInputs([dir]);
    noBirthTimes = false;
    beforeStat = undefined;
    inodeOf.clear();
    expect(reused).toBe(true);
    // The segment (gone: the run reports it) and the live file, read under its new name once.
    expect(files).toEqual([segment, live]);
  });
});
