// A Tracker rotating fast: readdir returns the live file's name, the file is renamed away before
// the listing stats it, the next live file is created before the run checks whether the name is
// gone, and that one too is rotated away before the run plans it. The name was planned by itself
// alone, found nowhere, and reported as an unreadable file (an error: `validate` exited 1) though
// nothing was lost (a stress run beside a Tracker rotating every 64 KiB, on a loaded host).
import * as fs from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { tempDir } from "../helpers/temp-dir.js";

// Each runs once, before the real call on the path it is set for: the interleaving under test.
let hookPath = "";
let beforeStat: (() => void) | undefined;
let beforeLstat: (() => void) | undefined;
vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>();
  const statSync = ((path: fs.PathLike, options?: fs.StatSyncOptions) => {
    const hook = beforeStat;
    if (hook !== undefined && options?.bigint === true && String(path) === hookPath) {
      beforeStat = undefined;
      hook();
    }
    return real.statSync(path, options);
  }) as typeof real.statSync;
  const lstatSync = ((path: fs.PathLike, options?: fs.StatSyncOptions) => {
    const hook = beforeLstat;
    if (hook !== undefined && String(path) === hookPath) {
      beforeLstat = undefined;
      hook();
    }
    return real.lstatSync(path, options);
  }) as typeof real.lstatSync;
  const patched = { statSync, lstatSync };
  return { ...real, ...patched, default: { ...real, ...patched } };
});

const { resolveInputs } = await import("../../src/exporter/plan/resolve-inputs.js");
const { planSegments } = await import("../../src/exporter/plan/plan-segments.js");

const segment = (k: number) => `user.2025-03-01T00-00-0${k}.000Z.jsonl`;

describe("a live file rotated away, made again and rotated again while a run lists it", () => {
  it("is read where it went, with no unreadable file", () => {
    const dir = tempDir();
    const live = join(dir, "user.jsonl");
    fs.writeFileSync(live, '{"k":1}\n');
    hookPath = live;
    beforeStat = () => {
      fs.renameSync(live, join(dir, segment(1)));
    };
    beforeLstat = () => {
      fs.writeFileSync(live, '{"k":2}\n');
    };
    const { files, listed } = resolveInputs([dir]);
    expect(beforeStat).toBeUndefined();
    expect(beforeLstat).toBeUndefined();
    fs.renameSync(live, join(dir, segment(2)));
    const planned = planSegments(files, 1 << 20, undefined, Number.POSITIVE_INFINITY, listed);
    expect(
      planned.files.filter((f) => f.unreadable !== undefined || f.vanished !== undefined),
    ).toEqual([]);
    const read = planned.segments.filter((s) => s.end > s.start).map((s) => s.path);
    expect(read.map((p) => p.slice(dir.length + 1)).sort()).toEqual([segment(1), segment(2)]);
  });

  it("a broken link found by listing stays an unreadable file", () => {
    const dir = tempDir();
    fs.symlinkSync(join(dir, "nowhere"), join(dir, "user.jsonl"));
    const { files, listed } = resolveInputs([dir]);
    const planned = planSegments(files, 1 << 20, undefined, Number.POSITIVE_INFINITY, listed);
    expect(planned.files).toEqual([
      { path: join(dir, "user.jsonl"), bytes: 0, unreadable: "is a broken link or vanished" },
    ]);
  });
});
