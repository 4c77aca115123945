// A wall clock that jumps (an NTP step, a VM restored with a wrong clock) must not stop rotation
// or retention, in a long-lived process or in one restarted after the jump: a date later than
// now, in a segment's name or a file's time, is never waited for.
import { existsSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Tracker } from "../../src/index.js";
import { resolveRotation } from "../../src/tracker/rotation-options.js";
import { SegmentMaintenance } from "../../src/tracker/segment-maintenance.js";
import { formatStamp } from "../../src/tracker/segment-names.js";
import { channelFiles, channelLines, fileText, waitFor } from "../helpers/rotated-files.js";
import { runTs } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

afterEach(() => {
  vi.restoreAllMocks();
});

function seqs(directory: string): number[] {
  return channelLines(directory, "user").map((line) => JSON.parse(line).payload.i);
}

function lines(directory: string, file: string): number[] {
  return fileText(directory, file)
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line).payload.i);
}

/** Writes a segment (or the live file, stamp undefined) with `mtime` as its modification time. */
function plant(directory: string, stamp: number | undefined, mtime: number, i = -1): string {
  const name = stamp === undefined ? "user.jsonl" : `user.${formatStamp(stamp)}.jsonl`;
  const event = { schema_version: 1, channel: "user", event: "old", timestamp: "", payload: { i } };
  writeFileSync(join(directory, name), `${JSON.stringify(event)}\n`);
  utimesSync(join(directory, name), mtime / 1000, mtime / 1000);
  return name;
}

async function restart(directory: string, rotate: object, count: number, removed = 0) {
  const args = [directory, JSON.stringify(rotate), String(count), String(removed)];
  const result = await runTs("test/fixtures/processes/record-after-restart.ts", args);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, number>;
}

describe("rotation by period when the clock steps back", () => {
  it("daily: a clock set back a year starts a segment at its next write, once, then rotates daily", async () => {
    const directory = tempDir();
    const real = Date.UTC(2025, 2, 1, 10, 0, 0);
    let now = real + YEAR;
    const t = new Tracker({
      directory,
      bufferBytes: 0,
      clock: () => now,
      rotate: { frequency: "daily" },
    });
    t.record("user", "e", { i: 0 });
    now += DAY;
    t.record("user", "e", { i: 1 });
    expect(t.stats().rotated).toBe(1);
    // The clock is corrected: a year back.
    now = real;
    t.record("user", "e", { i: 2 });
    expect(t.stats().rotated).toBe(2);
    // Not at every write: the new live file started now, whatever its predecessor's stamp.
    now = real + HOUR;
    t.record("user", "e", { i: 3 });
    expect(t.stats().rotated).toBe(2);
    now = real + DAY;
    t.record("user", "e", { i: 4 });
    now = real + DAY + HOUR;
    t.record("user", "e", { i: 5 });
    await t.close();
    expect(t.stats().rotated).toBe(3);
    const files = channelFiles(directory, "user");
    // Stamps after the first stay past it (+1 ms each), so name order is still rotation order.
    expect(files).toEqual([
      `user.${formatStamp(real + YEAR + DAY)}.jsonl`,
      `user.${formatStamp(real + YEAR + DAY + 1)}.jsonl`,
      `user.${formatStamp(real + YEAR + DAY + 2)}.jsonl`,
      "user.jsonl",
    ]);
    expect(files.map((file) => lines(directory, file))).toEqual([[0], [1], [2, 3], [4, 5]]);
  });

  it("two trackers on one channel: the clock set back, one of them rotates, the other writes on", async () => {
    const directory = tempDir();
    const real = Date.UTC(2025, 2, 1, 10, 0, 0);
    let now = real + YEAR;
    const clock = () => now;
    const a = new Tracker({ directory, bufferBytes: 0, clock, rotate: { frequency: "hourly" } });
    const b = new Tracker({ directory, bufferBytes: 0, clock, rotate: { frequency: "hourly" } });
    a.record("user", "e", { i: 0 });
    b.record("user", "e", { i: 1 });
    now += HOUR;
    a.record("user", "e", { i: 2 });
    b.record("user", "e", { i: 3 });
    expect(a.stats().rotated + b.stats().rotated).toBe(1);
    now = real;
    b.record("user", "e", { i: 4 });
    a.record("user", "e", { i: 5 });
    b.record("user", "e", { i: 6 });
    await Promise.all([a.close(), b.close()]);
    // A segment stamped ahead is no reason for the other tracker to rotate the new file again.
    expect(a.stats().rotated + b.stats().rotated).toBe(2);
    const files = channelFiles(directory, "user");
    expect(files.map((file) => lines(directory, file))).toEqual([
      [0, 1],
      [2, 3],
      [4, 5, 6],
    ]);
  });

  it("a restarted process rotates a live file written while the clock was ahead, and only once", async () => {
    const directory = tempDir();
    const ahead = Date.now() + YEAR;
    const segment = plant(directory, ahead, ahead, 0);
    plant(directory, undefined, ahead + 1000, 1);
    const first = await restart(directory, { frequency: "daily" }, 3);
    expect(first).toMatchObject({ rotated: 1, written: 3, dropped: 0 });
    const files = channelFiles(directory, "user");
    expect(files).toEqual([segment, `user.${formatStamp(ahead + 1)}.jsonl`, "user.jsonl"]);
    expect(files.map((file) => lines(directory, file))).toEqual([[0], [1], [0, 1, 2]]);
    // Restarted again in the same period: the live file was written now, it stays.
    const second = await restart(directory, { frequency: "daily" }, 1);
    expect(second.rotated).toBe(0);
    expect(channelFiles(directory, "user")).toHaveLength(3);
  });
});

describe("retention by age of a segment dated after now", () => {
  it("counts its age from when the tracker first saw it", async () => {
    const directory = tempDir();
    const ahead = Date.now() + YEAR;
    const future = plant(directory, ahead, ahead);
    const t = new Tracker({
      directory,
      bufferBytes: 0,
      rotate: { size: 400, maxAgeMs: 500, graceMs: 0 },
    });
    t.record("user", "e", { i: 0 });
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(existsSync(join(directory, future))).toBe(true);
    // A rotation runs a pass: by now the segment is older than maxAgeMs.
    for (let i = 1; i < 10; i++) t.record("user", "e", { i });
    await waitFor(() => t.stats().removed === 1, 5_000);
    await t.close();
    expect(existsSync(join(directory, future))).toBe(false);
    // The segments rotated just now are kept: their stamps are ahead, their files are not.
    expect(t.stats().rotated).toBeGreaterThan(0);
    expect(seqs(directory)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("a restarted process ages it by its file's time, and never younger than a later segment", async () => {
    const directory = tempDir();
    const now = Date.now();
    const ahead = now + YEAR;
    // Written while the clock was ahead: name and file dated a year on.
    const oldest = plant(directory, ahead, ahead, 0);
    // Rotated after the clock was corrected: names pushed past it, files dated truly.
    const older = plant(directory, ahead + 1, now - 3 * HOUR, 1);
    const recent = plant(directory, ahead + 2, now - 10 * 60_000, 2);
    const rotate = { frequency: "daily", maxAgeMs: 2 * HOUR, graceMs: 0 };
    const stats = await restart(directory, rotate, 1, 2);
    expect(stats.removed).toBe(2);
    expect(existsSync(join(directory, oldest))).toBe(false);
    expect(existsSync(join(directory, older))).toBe(false);
    expect(channelFiles(directory, "user")).toEqual([recent, "user.jsonl"]);
  });
});

describe("quiescence of a segment modified while the clock was ahead", () => {
  it("is compressed graceMs after the tracker first saw it, not once the clock gets there", async () => {
    const directory = tempDir();
    const now = Date.now();
    const segment = plant(directory, now - HOUR, now + YEAR, 0);
    const t = new Tracker({ directory, rotate: { size: 1e9, compress: true, graceMs: 200 } });
    t.record("user", "e", { i: 1 });
    await waitFor(() => t.stats().compressed === 1, 5_000);
    await t.close();
    expect(channelFiles(directory, "user")).toEqual([`${segment}.gz`, "user.jsonl"]);
    expect(seqs(directory)).toEqual([0, 1]);
  });
});

describe("a rotation lock touched while the clock was ahead", () => {
  it("is taken for stale once silent for 30 s from when first seen, not once the clock gets there", async () => {
    const directory = tempDir();
    const lock = join(directory, ".user.rotate-lock");
    // Left by an earlier run whose pid this process now has (a container's pid 1, say).
    writeFileSync(lock, `${process.pid} abcdef\n`);
    const ahead = (Date.now() + YEAR) / 1000;
    utimesSync(lock, ahead, ahead);
    const t = new Tracker({ directory, bufferBytes: 0, rotate: { size: 300 } });
    for (let i = 0; i < 10; i++) t.record("user", "e", { i });
    expect(t.stats().rotated).toBe(0);
    const monotonic = performance.now.bind(performance);
    vi.spyOn(performance, "now").mockImplementation(() => monotonic() + 31_000);
    for (let i = 10; i < 20; i++) t.record("user", "e", { i });
    await t.close();
    expect(t.stats().rotated).toBeGreaterThan(0);
    expect(existsSync(lock)).toBe(false);
    expect(seqs(directory)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});

describe("maintenance timers when the wall clock steps forward", () => {
  it("a pass asked for now runs now, though a later one was waiting", async () => {
    const directory = tempDir();
    plant(directory, Date.UTC(2025, 2, 1, 10), Date.now() - HOUR, 0);
    const rotation = resolveRotation({ size: 1e9, compress: true, graceMs: 0 });
    let compressed = 0;
    const maintenance = new SegmentMaintenance({
      directory,
      channel: "user",
      rotation: rotation as NonNullable<typeof rotation>,
      clock: Date.now,
      fileMode: 0o644,
      onCompressed: () => compressed++,
      onRemoved: () => undefined,
      onError: (error) => {
        throw error;
      },
    });
    maintenance.schedule(60_000);
    const real = Date.now;
    vi.spyOn(Date, "now").mockImplementation(() => real() + YEAR);
    maintenance.schedule(0);
    await waitFor(() => compressed === 1, 3_000);
    await maintenance.stop();
  });
});
