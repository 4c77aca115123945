// A file deleted between the moment a run looks at it (stat) and the moment it opens it to plan
// its segments: retention racing an `etl --incremental` made the whole run fail with Node's own
// `error: ENOENT: no such file or directory, open '…'` (exit 1) in 1 run of 50-100 (an
// adversary's find). It is gone, as a file deleted before it was looked at: with a mark, its
// state's reading stands (nothing planned, the mark kept); without, a `vanished_file`.
import * as fs from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { planSegments } from "../../../src/exporter/plan/plan-segments.js";
import { tempDir } from "../../helpers/temp-dir.js";

vi.mock("node:fs", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs")>();
  return { ...actual, openSync: vi.fn(actual.openSync) };
});

const openSync = vi.mocked(fs.openSync);
afterEach(() => openSync.mockReset());

// The next open of `path` finds it deleted just before (as retention would).
async function deleteAtOpen(path: string) {
  const actual = await vi.importActual<typeof import("node:fs")>("node:fs");
  openSync.mockImplementation(((p: fs.PathLike, ...rest: unknown[]) => {
    if (p === path) actual.rmSync(path, { force: true });
    return (actual.openSync as (...a: unknown[]) => number)(p, ...rest);
  }) as typeof fs.openSync);
}

describe("a file deleted while a run plans it", () => {
  it("resumed from a mark: planned as its state read it, nothing new, no error", async () => {
    const path = join(tempDir(), "c.20250301T000000000Z.jsonl");
    fs.writeFileSync(path, "a\nb\nc\n");
    await deleteAtOpen(path);
    const { files, segments } = planSegments([path], 1 << 20, { starts: new Map([[path, 4]]) });
    expect(files).toEqual([{ path, bytes: 4, start: 4, committedEnd: 4 }]);
    expect(segments).toEqual([]);
  });

  it("new to the run: a vanished file (a warning), not an error", async () => {
    const path = join(tempDir(), "d.jsonl");
    fs.writeFileSync(path, "a\nb\n");
    await deleteAtOpen(path);
    const { files, segments } = planSegments([path], 1 << 20, { starts: new Map() });
    expect(files).toEqual([{ path, bytes: 0, vanished: expect.any(String) }]);
    expect(segments).toMatchObject([{ path, start: 0, end: 0, vanished: expect.any(String) }]);
  });

  it("in a one-shot run too", async () => {
    const path = join(tempDir(), "e.jsonl");
    fs.writeFileSync(path, "a\n");
    await deleteAtOpen(path);
    const { files } = planSegments([path], 1 << 20);
    expect(files).toEqual([{ path, bytes: 0, vanished: expect.any(String) }]);
  });

  it("another open failure is still thrown", async () => {
    const path = join(tempDir(), "f.jsonl");
    fs.writeFileSync(path, "a\n");
    openSync.mockImplementation(() => {
      throw Object.assign(new Error("EIO: i/o error, open"), { code: "EIO" });
    });
    expect(() => planSegments([path], 1 << 20)).toThrow("EIO");
  });
});
