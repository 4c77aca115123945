// Rotation while a run lists a directory, in the ways a stress run over a Tracker found events
// missing in the middle of a channel, or repeated, with exit 0 (the third found by reading the
// code after the others):
// - a segment listed by a later listing, then compressed before it was identified (`X.gz` put in
//   place, `X` unlinked): the later listings passed over `X.gz` as the compression of a name
//   already seen (events 2750 to 3049 missing);
// - the Tracker claims a segment's name as an empty file and renames the live file over it
//   (src/tracker/claim-segment.ts): a run listed the claim, planned it as nothing, and read the
//   next segment (events 13127 to 13449 missing);
// - a live file listed empty, written and rotated to a name a later listing finds: that name was
//   taken for the empty file's, and read nothing;
// - a segment compressed between the stat and the open that identify it, known by its inode
//   alone: followed to the next file given that inode (another channel's segment, read twice).
import * as fs from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it, vi } from "vitest";
import { tempDir } from "../helpers/temp-dir.js";

// Each listing of the directory, as readdir returned it; `after` runs once it returned.
// `beforeOpen` runs before each open.
let listings = 0;
let after: (listing: number) => void = () => undefined;
let beforeOpen: (path: string) => void = () => undefined;
vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>();
  const readdirSync = ((path: fs.PathLike) => {
    listings++;
    const names = real.readdirSync(path);
    after(listings);
    return names;
  }) as unknown as typeof real.readdirSync;
  const openSync = ((path: fs.PathLike, ...rest: unknown[]) => {
    beforeOpen(String(path));
    return (real.openSync as (...a: unknown[]) => number)(path, ...rest);
  }) as typeof real.openSync;
  const fns = { readdirSync, openSync };
  return { ...real, default: { ...real, ...fns }, ...fns };
});

const { resolveInputs } = await import("../../src/exporter/plan/resolve-inputs.js");
const { planSegments } = await import("../../src/exporter/plan/plan-segments.js");

const segment = (k: number) => `user.20250301T00000${k}000Z.jsonl`;
const lines = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, k) => `{"i":${from + k}}\n`).join("");
const bytes = (from: number, to: number) => Buffer.byteLength(lines(from, to));

// The bytes the plan reads under each name (a file planned twice counts twice).
function plan(dir: string, listed: ReturnType<typeof resolveInputs>): Record<string, number> {
  const { files } = planSegments(listed.files, 4 << 20, undefined, Infinity, listed.listed);
  const read: Record<string, number> = {};
  for (const f of files) {
    const name = f.path.slice(dir.length + 1);
    if (f.bytes > 0) read[name] = (read[name] ?? 0) + f.bytes;
  }
  return read;
}

function list(dir: string, hook: (listing: number) => void = () => undefined) {
  listings = 0;
  after = hook;
  try {
    return resolveInputs([dir]);
  } finally {
    after = () => undefined;
  }
}

describe("a Tracker segment's claim, listed empty and replaced by its segment before it is planned", () => {
  it("is read: the segment renamed over it", () => {
    const dir = tempDir();
    fs.writeFileSync(join(dir, segment(1)), lines(0, 10));
    fs.writeFileSync(join(dir, segment(2)), "");
    fs.writeFileSync(join(dir, segment(3)), lines(20, 30));
    fs.writeFileSync(join(dir, "user.jsonl"), lines(30, 31));
    const listed = list(dir);
    // The live file that was written before segment 3 is renamed over its claim.
    fs.writeFileSync(join(dir, ".live"), lines(10, 20));
    fs.renameSync(join(dir, ".live"), join(dir, segment(2)));
    expect(plan(dir, listed)).toEqual({
      [segment(1)]: bytes(0, 10),
      [segment(2)]: bytes(10, 20),
      [segment(3)]: bytes(20, 30),
      "user.jsonl": bytes(30, 31),
    });
  });

  it("is read from its .gz when it was compressed since", () => {
    const dir = tempDir();
    fs.writeFileSync(join(dir, segment(2)), "");
    fs.writeFileSync(join(dir, segment(3)), lines(20, 30));
    const listed = list(dir);
    fs.writeFileSync(join(dir, `${segment(2)}.gz`), gzipSync(lines(10, 20)));
    fs.unlinkSync(join(dir, segment(2)));
    const read = plan(dir, listed);
    expect(Object.keys(read).sort()).toEqual([`${segment(2)}.gz`, segment(3)]);
  });

  it("is read once when the live file listed is the segment renamed over it", () => {
    const dir = tempDir();
    fs.writeFileSync(join(dir, segment(2)), "");
    fs.writeFileSync(join(dir, "user.jsonl"), lines(10, 20));
    const listed = list(dir);
    fs.renameSync(join(dir, "user.jsonl"), join(dir, segment(2)));
    fs.writeFileSync(join(dir, "user.jsonl"), lines(20, 21));
    expect(plan(dir, listed)).toEqual({ [segment(2)]: bytes(10, 20) });
  });

  it("reads nothing while it is still the claim (a rotation killed before its rename)", () => {
    const dir = tempDir();
    fs.writeFileSync(join(dir, segment(2)), "");
    fs.writeFileSync(join(dir, "user.jsonl"), lines(10, 20));
    expect(plan(dir, list(dir))).toEqual({ "user.jsonl": bytes(10, 20) });
  });

  it("is not a name of another rotation scheme: an empty file listed there reads nothing", () => {
    const dir = tempDir();
    fs.writeFileSync(join(dir, "user.jsonl.1"), "");
    const listed = list(dir);
    fs.writeFileSync(join(dir, ".x"), lines(0, 5));
    fs.renameSync(join(dir, ".x"), join(dir, "user.jsonl.1"));
    expect(plan(dir, listed)).toEqual({});
  });
});

describe("a live file listed empty, then written and rotated to a name a later listing finds", () => {
  it("is read under that name, with the segment after it", () => {
    const dir = tempDir();
    fs.writeFileSync(join(dir, segment(1)), lines(0, 10));
    fs.writeFileSync(join(dir, "user.jsonl"), "");
    // Between the second listing and the third, the live file is written and rotated, and the
    // next one rotated after it.
    const listed = list(dir, (listing) => {
      if (listing !== 2) return;
      fs.appendFileSync(join(dir, "user.jsonl"), lines(10, 20));
      fs.renameSync(join(dir, "user.jsonl"), join(dir, segment(2)));
      fs.writeFileSync(join(dir, segment(3)), lines(20, 30));
      fs.writeFileSync(join(dir, "user.jsonl"), lines(30, 31));
    });
    expect(plan(dir, listed)).toEqual({
      [segment(1)]: bytes(0, 10),
      [segment(2)]: bytes(10, 20),
      [segment(3)]: bytes(20, 30),
    });
  });
});

// Compresses `name` as the Tracker does: the .gz put in place, then the plain file unlinked.
function compress(dir: string, name: string): void {
  const plain = join(dir, name);
  fs.writeFileSync(`${plain}.gz`, gzipSync(fs.readFileSync(plain)));
  fs.unlinkSync(plain);
}

// The live file rotated to segment 2, and a segment 3 rotated after it.
function rotate(dir: string): void {
  fs.renameSync(join(dir, "user.jsonl"), join(dir, segment(2)));
  fs.writeFileSync(join(dir, segment(3)), lines(20, 30));
  fs.writeFileSync(join(dir, "user.jsonl"), lines(30, 31));
}

describe("a segment compressed between a listing and its identification", () => {
  it.each([1, 2, 3])("in listing %i: its .gz is read, as are the segments after it", (n) => {
    const dir = tempDir();
    fs.writeFileSync(join(dir, segment(1)), lines(0, 10));
    fs.writeFileSync(join(dir, "user.jsonl"), lines(10, 20));
    // Listing n finds segments 2 and 3, then segment 2 is compressed before that listing's names
    // are identified.
    if (n === 1) rotate(dir);
    const listed = list(dir, (listing) => {
      if (listing === n - 1) rotate(dir);
      if (listing === n) compress(dir, segment(2));
    });
    const names = listed.files.map((f) => f.slice(dir.length + 1));
    expect(names).toContain(`${segment(2)}.gz`);
    expect(names).toContain(segment(3));
  });
});

describe("a segment compressed between the stat and the open that identify it", () => {
  it("is read from its .gz, never followed by its inode alone", () => {
    const dir = tempDir();
    fs.writeFileSync(join(dir, segment(2)), lines(10, 20));
    fs.writeFileSync(join(dir, "user.jsonl"), lines(20, 21));
    // Its freed inode may go to the next file made: here, another channel's segment.
    beforeOpen = (path) => {
      if (path !== join(dir, segment(2))) return;
      beforeOpen = () => undefined;
      compress(dir, segment(2));
      fs.writeFileSync(join(dir, "other.20250301T000009000Z.jsonl"), lines(90, 99));
    };
    let listed: ReturnType<typeof resolveInputs>;
    try {
      listed = list(dir);
    } finally {
      beforeOpen = () => undefined;
    }
    expect(listed.listed?.has(join(dir, segment(2)))).toBe(false);
    const read = plan(dir, listed);
    expect(read[`${segment(2)}.gz`]).toBeGreaterThan(0);
    expect(read[segment(2)]).toBeUndefined();
  });
});
