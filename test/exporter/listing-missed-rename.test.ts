// A directory's listing is not a snapshot: an entry renamed while readdir runs may be returned
// under neither name (POSIX leaves it unspecified; ext4 returns entries in hash order, so a new
// name before the read position and an old one after it are both passed over). A segment
// compressed during the second listing (`X.gz` renamed into place, then `X` unlinked) was in no
// listing, while the segments after it were: its events were missing from a run that exited 0.
import * as fs from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { tempDir } from "../helpers/temp-dir.js";

// Each listing of the directory, as readdir returned it; `hide` drops names from some.
let listings = 0;
let hide: (listing: number, names: string[]) => string[] = (_, names) => names;
vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>();
  const readdirSync = ((path: fs.PathLike) => {
    listings++;
    return hide(listings, real.readdirSync(path));
  }) as unknown as typeof real.readdirSync;
  return { ...real, default: { ...real, readdirSync }, readdirSync };
});

const { resolveInputs } = await import("../../src/exporter/plan/resolve-inputs.js");

const segment = (k: number) => `user.2025-03-01T00-00-0${k}.000Z.jsonl`;

describe("a file that one listing of its directory passes over", () => {
  it("is found by the next listing and read", () => {
    const dir = tempDir();
    for (const k of [1, 2, 3]) fs.writeFileSync(join(dir, segment(k)), `{"k":${k}}\n`);
    fs.writeFileSync(join(dir, "user.jsonl"), '{"k":4}\n');
    // The first listing predates segment 2; the second passes over it, as when it was renamed
    // into place while readdir ran.
    hide = (listing, names) => (listing <= 2 ? names.filter((n) => n !== segment(2)) : names);
    listings = 0;
    const { files } = resolveInputs([dir]);
    expect(files.map((f) => f.slice(dir.length + 1)).sort()).toEqual(
      [segment(1), segment(2), segment(3), "user.jsonl"].sort(),
    );
  });

  it("lists a quiet directory three times, and a busy one a bounded number of times", () => {
    const dir = tempDir();
    fs.writeFileSync(join(dir, "user.jsonl"), '{"k":1}\n');
    hide = (_, names) => names;
    listings = 0;
    resolveInputs([dir]);
    expect(listings).toBe(3);
    // Every listing finds a new segment, as in a directory that rotates faster than it is read.
    hide = (listing, names) => {
      fs.writeFileSync(join(dir, `user.2025-03-01T00-00-${10 + listing}.000Z.jsonl`), "{}\n");
      return names;
    };
    listings = 0;
    resolveInputs([dir]);
    expect(listings).toBe(5);
  });
});
