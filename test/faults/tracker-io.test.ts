import * as fs from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type TelemetryError, Tracker } from "../../src/index.js";
import { readLines } from "../helpers/read-lines.js";
import { tempDir } from "../helpers/temp-dir.js";

vi.mock("node:fs", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs")>();
  return { ...actual, writeSync: vi.fn(actual.writeSync) };
});

const writeSync = vi.mocked(fs.writeSync);
afterEach(() => writeSync.mockReset());

function enospc(): never {
  throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
}

// Ten events on one channel; the disk takes the first `bytes(line)` bytes of their write (`line(k)`:
// the k-th line's size with its newline) and is then full; space comes back and one more event is
// recorded. What the tracker counted after the failed flush and after close, and what is on disk.
async function fullAfter(bytes: (line: (k: number) => number) => number) {
  const actual = await vi.importActual<typeof import("node:fs")>("node:fs");
  const directory = tempDir();
  const errors: TelemetryError[] = [];
  const tracker = new Tracker({ directory, onError: (e) => errors.push(e), flushIntervalMs: 0 });
  const events = Array.from({ length: 10 }, (_, i) => tracker.record("user", "e", { i }));
  const line = (k: number) => Buffer.byteLength(JSON.stringify(events[k])) + 1;
  const upTo = bytes(line);
  writeSync
    .mockImplementationOnce((fd, buffer) =>
      actual.writeSync(fd, buffer as unknown as Buffer, 0, upTo),
    )
    .mockImplementationOnce(enospc);
  await tracker.flush();
  const flushed = tracker.stats();
  writeSync.mockImplementation(actual.writeSync as typeof fs.writeSync);
  const after = tracker.record("user", "after");
  await tracker.close();
  const lines = readLines(join(directory, "user.jsonl"));
  return { errors, events, after, flushed, closed: tracker.stats(), lines };
}

describe("I/O errors injected through the file system", () => {
  it("ENOSPC part-way through a write: the complete lines count as written, the rest as dropped", async () => {
    // The disk takes three and a half lines, then is full.
    const run = await fullAfter((line) => line(0) + line(1) + line(2) + 20);
    expect(run.flushed).toMatchObject({ recorded: 10, written: 3, dropped: 7, errors: 1 });
    expect(run.errors[0]?.message).toContain("ENOSPC");
    // Three whole lines, the torn fourth on its own line, then the next event on a fresh line.
    expect(run.lines.slice(0, 3)).toEqual(run.events.slice(0, 3).map((e) => JSON.stringify(e)));
    expect(run.lines[3]).toBe(JSON.stringify(run.events[3]).slice(0, 20));
    expect(run.lines[4]).toBe(JSON.stringify(run.after));
    expect(run.closed).toMatchObject({ written: 4, dropped: 7 });
  });

  it("ENOSPC exactly at a line's newline: that line is whole on disk, so it counts as written", async () => {
    // The disk takes three lines and the fourth but for its newline, then is full.
    const run = await fullAfter((line) => line(0) + line(1) + line(2) + line(3) - 1);
    // Counted as dropped, an app that records again what was dropped would write it twice.
    expect(run.flushed).toMatchObject({ recorded: 10, written: 4, dropped: 6, errors: 1 });
    expect(run.errors[0]?.message).toContain("ENOSPC");
    // The next write starts with the newline the fourth lacked.
    expect(run.lines).toEqual([...run.events.slice(0, 4), run.after].map((e) => JSON.stringify(e)));
    expect(run.closed).toMatchObject({ written: 5, dropped: 6 });
  });

  it("EIO on every write: record() keeps working, every loss is counted and reported", async () => {
    writeSync.mockImplementation(() => {
      throw Object.assign(new Error("EIO: i/o error, write"), { code: "EIO" });
    });
    const errors: TelemetryError[] = [];
    const tracker = new Tracker({
      directory: tempDir(),
      onError: (e) => errors.push(e),
      bufferBytes: 0,
    });
    for (let i = 0; i < 50; i++) expect(() => tracker.record("user", "e", { i })).not.toThrow();
    await tracker.close();
    expect(tracker.stats()).toMatchObject({ recorded: 50, written: 0, dropped: 50, errors: 50 });
    expect(errors.every((e) => e.code === "io_error" && e.message.includes("EIO"))).toBe(true);
  });
});

describe("file rotation", () => {
  it("reopens when the channel file is renamed away, so new events land in a new file", async () => {
    const directory = tempDir();
    const tracker = new Tracker({ directory });
    const before = tracker.record("user", "before");
    await tracker.flush();
    fs.renameSync(join(directory, "user.jsonl"), join(directory, "user.jsonl.1"));
    const after = tracker.record("user", "after");
    await tracker.close();
    expect(readLines(join(directory, "user.jsonl.1"))).toEqual([JSON.stringify(before)]);
    expect(readLines(join(directory, "user.jsonl"))).toEqual([JSON.stringify(after)]);
  });
});
