import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { planSegments } from "../../../src/exporter/plan/plan-segments.js";
import { tempDir } from "../../helpers/temp-dir.js";

const lines = (n: number, width = 9) =>
  Array.from({ length: n }, (_, i) => `${String(i).padStart(width, "0")}\n`).join("");

describe("planSegments", () => {
  it("cuts a file into segments that start at line starts and cover it exactly", () => {
    const path = join(tempDir(), "a.jsonl");
    const text = lines(100); // 1000 bytes, lines of 10
    writeFileSync(path, text);
    const { files, segments } = planSegments([path], 95);
    expect(files).toEqual([{ path, bytes: 1000, mtimeMs: expect.any(Number) }]);
    expect(segments[0]?.start).toBe(0);
    expect(segments.at(-1)?.end).toBe(1000);
    for (const [i, s] of segments.entries()) {
      expect(s.start % 10).toBe(0);
      if (i > 0) expect(s.start).toBe(segments[i - 1]?.end);
      expect(s.index).toBe(i);
    }
    expect(segments.length).toBeGreaterThan(5);
  });

  it("reads gzip whole, and plans an unreadable file as one empty segment", () => {
    const dir = tempDir();
    const gz = join(dir, "a.jsonl.gz");
    writeFileSync(gz, gzipSync(lines(200)));
    const { files, segments } = planSegments([gz, dir], 10);
    expect(segments.filter((s) => s.fileIndex === 0)).toHaveLength(1);
    expect(files[1]).toEqual({ path: dir, bytes: 0, unreadable: "is a directory" });
    expect(segments[1]).toMatchObject({
      fileIndex: 1,
      start: 0,
      end: 0,
      unreadable: "is a directory",
    });
  });

  it("resumes at a saved offset, reads up to the planned size, and cuts the unfinished line off", () => {
    const path = join(tempDir(), "a.jsonl");
    writeFileSync(path, `${lines(10)}0000000010`); // ten lines, then one without its "\n"
    const { files, segments } = planSegments([path], 1000, {
      starts: new Map([[path, 30]]),
      ends: new Map([[path, 110]]),
    });
    expect(files).toEqual([
      {
        path,
        bytes: 110,
        start: 30,
        committedEnd: 100,
        mtimeMs: expect.any(Number),
        fragmentFrom: 100,
      },
    ]);
    expect(segments.map((s) => [s.start, s.end])).toEqual([
      [30, 100],
      [100, 110],
    ]);
  });

  it("plans a file's unterminated last line as a segment of its own, up to the line limit", () => {
    const path = join(tempDir(), "a.jsonl");
    writeFileSync(path, `${lines(10)}0000000010`);
    const { files, segments } = planSegments([path], 1000, undefined, 64);
    expect(files[0]).toMatchObject({ bytes: 110, fragmentFrom: 100 });
    expect(segments.map((s) => [s.start, s.end])).toEqual([
      [0, 100],
      [100, 110],
    ]);
    // A fragment longer than the line limit is an over-long line, not a line being written.
    const long = planSegments([path], 1000, undefined, 5);
    expect(long.files[0]?.fragmentFrom).toBeUndefined();
    expect(long.segments.map((s) => [s.start, s.end])).toEqual([[0, 110]]);
  });
});
