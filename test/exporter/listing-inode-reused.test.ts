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
vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>();
  const readdirSync = ((...args: Parameters<typeof real.readdirSync>) => {
    listings++;
    if (listings === 2) between?.();
    return real.readdirSync(...args);
  }) as typeof real.readdirSync;
  return { ...real, default: { ...real, readdirSync }, readdirSync };
});

const { resolveInputs } = await import("../../src/exporter/plan/resolve-inputs.js");

describe("a file given a freed inode between the two listings of its directory", () => {
  it("is read as the new file it is, not taken for the one listed first", () => {
    const dir = tempDir();
    const segment = join(dir, "user.2025-03-01T00-00-00.000Z.jsonl");
    fs.writeFileSync(segment, '{"a":1}\n');
    const ino = fs.statSync(segment).ino;
    let reused = false;
    between = () => {
      // The segment is compressed (its .gz elsewhere, for this test) and unlinked; the next
      // segment is created, and is given the freed inode.
      fs.unlinkSync(segment);
      for (let k = 0; k < 200 && !reused; k++) {
        const next = join(dir, `user.2025-03-01T00-00-0${k % 10}.${k}.jsonl`);
        fs.writeFileSync(next, '{"b":2}\n');
        reused = fs.statSync(next).ino === ino;
        if (!reused) fs.renameSync(next, join(tempDir(), `spare-${k}`));
      }
    };
    listings = 0;
    const { files } = resolveInputs([dir]);
    expect(reused).toBe(true);
    const names = files.map((f) => f.slice(dir.length + 1));
    expect(names.filter((n) => n.includes("2025-03-01T00-00-0"))).toHaveLength(2);
  });
});
