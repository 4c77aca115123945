import {
  closeSync,
  existsSync,
  lstatSync,
  openSync,
  readdirSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Tracker } from "../../src/index.js";
import { channelFiles, channelLines, fileText, waitFor } from "../helpers/rotated-files.js";
import { runTs } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const SEGMENT_NAME = /^user\.\d{8}T\d{9}Z(-\d+)?\.jsonl(\.gz)?$/;

function seqs(directory: string): number[] {
  return channelLines(directory, "user").map((line) => JSON.parse(line).payload.i);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

describe("rotation off (the default)", () => {
  it("writes one growing file and creates nothing else", async () => {
    const directory = tempDir();
    const t = new Tracker({ directory, bufferBytes: 0 });
    for (let i = 0; i < 500; i++) t.record("user", "e", { i, pad: "x".repeat(100) });
    await t.close();
    expect(readdirSync(directory)).toEqual(["user.jsonl"]);
    expect(t.stats()).toMatchObject({ rotated: 0, compressed: 0, removed: 0 });
  });
});

describe("rotation by size", () => {
  it("starts a new segment before a write would take the live file over size", async () => {
    const directory = tempDir();
    const t = new Tracker({ directory, bufferBytes: 0, rotate: { size: 1000 } });
    for (let i = 0; i < 100; i++) t.record("user", "e", { i });
    await t.close();
    const files = channelFiles(directory, "user");
    expect(files.at(-1)).toBe("user.jsonl");
    const segments = files.slice(0, -1);
    expect(segments.length).toBe(t.stats().rotated);
    expect(segments.length).toBeGreaterThan(5);
    for (const name of segments) {
      expect(name).toMatch(SEGMENT_NAME);
      const size = Buffer.byteLength(fileText(directory, name));
      expect(size).toBeLessThanOrEqual(1000);
      // Less than one more line short of the limit.
      expect(size).toBeGreaterThan(1000 - 120);
    }
    // Name order is time order, the live file last: the events read back in recording order.
    expect([...segments].sort()).toEqual(segments);
    expect(seqs(directory)).toEqual(range(100));
  });

  it("counts the size in UTF-8 bytes: multi-byte text never takes a segment over size", async () => {
    const directory = tempDir();
    const t = new Tracker({ directory, bufferBytes: 1, rotate: { size: 1150 } });
    // Lines of about 238 UTF-16 units and 438 bytes: two lines (876 bytes) plus a third fit the
    // limit when counted in units (1114), not in bytes (1314).
    for (let i = 0; i < 50; i++) t.record("user", "e", { i, text: "日".repeat(100) });
    await t.close();
    const segments = channelFiles(directory, "user").slice(0, -1);
    expect(segments.length).toBeGreaterThan(5);
    for (const name of segments) {
      expect(Buffer.byteLength(fileText(directory, name))).toBeLessThanOrEqual(1150);
    }
    expect(seqs(directory)).toEqual(range(50));
  });

  it("stamps segments with the clock's UTC time, moving past the newest when the clock stands still", async () => {
    const directory = tempDir();
    const now = Date.UTC(2025, 2, 1, 10, 15, 0, 123);
    const t = new Tracker({ directory, bufferBytes: 0, clock: () => now, rotate: { size: 200 } });
    for (let i = 0; i < 4; i++) t.record("user", "e", { i, pad: "x".repeat(150) });
    await t.close();
    expect(channelFiles(directory, "user")).toEqual([
      "user.20250301T101500123Z.jsonl",
      "user.20250301T101500124Z.jsonl",
      "user.20250301T101500125Z.jsonl",
      "user.jsonl",
    ]);
  });
});

describe("rotation by UTC day or hour", () => {
  it.each([
    ["hourly", Date.UTC(2025, 2, 1, 9, 59, 59, 900), 3_600_000, "20250301T100000000Z"],
    ["daily", Date.UTC(2025, 2, 1, 23, 59, 59, 900), 86_400_000, "20250302T000000000Z"],
  ] as const)(
    "%s: the first write of a new period starts a segment",
    async (frequency, start, period, stamp) => {
      const directory = tempDir();
      let now = start;
      const t = new Tracker({ directory, bufferBytes: 0, clock: () => now, rotate: { frequency } });
      t.record("user", "e", { i: 0 });
      now = start + 50;
      t.record("user", "e", { i: 1 });
      expect(t.stats().rotated).toBe(0);
      now = start + 100;
      t.record("user", "e", { i: 2 });
      now = start + period - 1;
      t.record("user", "e", { i: 3 });
      now = start + period + 100;
      t.record("user", "e", { i: 4 });
      await t.close();
      expect(t.stats().rotated).toBe(2);
      const files = channelFiles(directory, "user");
      expect(files[0]).toBe(`user.${stamp}.jsonl`);
      expect(files).toHaveLength(3);
      expect(channelLines(directory, "user").length).toBe(5);
      expect(
        fileText(directory, files[0] as string)
          .split("\n")
          .filter(Boolean),
      ).toHaveLength(2);
    },
  );

  it("rotates a live file last written in an earlier hour, found when the tracker starts", async () => {
    const directory = tempDir();
    const live = join(directory, "user.jsonl");
    writeFileSync(live, `${JSON.stringify({ old: true })}\n`);
    const yesterday = new Date(Date.now() - 86_400_000);
    utimesSync(live, yesterday, yesterday);
    const t = new Tracker({ directory, bufferBytes: 0, rotate: { frequency: "hourly" } });
    t.record("user", "e", { i: 0 });
    await t.close();
    const files = channelFiles(directory, "user");
    expect(files).toHaveLength(2);
    expect(fileText(directory, files[0] as string)).toContain('"old":true');
    expect(fileText(directory, "user.jsonl")).not.toContain('"old":true');
  });

  it("does not rotate again when another tracker already did in this period", async () => {
    const directory = tempDir();
    let now = Date.UTC(2025, 2, 1, 9, 59, 0);
    const clock = () => now;
    const a = new Tracker({ directory, bufferBytes: 0, clock, rotate: { frequency: "hourly" } });
    const b = new Tracker({ directory, bufferBytes: 0, clock, rotate: { frequency: "hourly" } });
    a.record("user", "e", { i: 0 });
    b.record("user", "e", { i: 1 });
    now += 120_000;
    a.record("user", "e", { i: 2 });
    b.record("user", "e", { i: 3 });
    await Promise.all([a.close(), b.close()]);
    expect(a.stats().rotated + b.stats().rotated).toBe(1);
    expect(seqs(directory)).toEqual(range(4));
  });
});

describe("compression of rotated segments", () => {
  it("gzips each segment in the background and removes the source only after", async () => {
    const directory = tempDir();
    const t = new Tracker({
      directory,
      bufferBytes: 0,
      rotate: { size: 2000, compress: true, graceMs: 0 },
    });
    for (let i = 0; i < 100; i++) t.record("user", "e", { i });
    // record() never waited for gzip: the segments are still plain when it returns.
    expect(readdirSync(directory).some((f) => f.endsWith(".jsonl.gz"))).toBe(false);
    const rotated = t.stats().rotated;
    await waitFor(() => t.stats().compressed === rotated);
    await t.close();
    const files = channelFiles(directory, "user");
    expect(files.slice(0, -1).every((f) => f.endsWith(".jsonl.gz"))).toBe(true);
    expect(readdirSync(directory).filter((f) => !f.startsWith("."))).toHaveLength(rotated + 1);
    expect(seqs(directory)).toEqual(range(100));
  });

  it("never compresses a segment written to within graceMs: a late append is kept", async () => {
    const directory = tempDir();
    const t = new Tracker({
      directory,
      bufferBytes: 0,
      rotate: { size: 500, compress: true, graceMs: 1500 },
    });
    for (let i = 0; i < 6; i++) t.record("user", "e", { i });
    const segment = readdirSync(directory).find((f) => SEGMENT_NAME.test(f)) as string;
    expect(segment).toBeDefined();
    // Another process's writer that held the live file just before the rename, appending later.
    const fd = openSync(join(directory, segment), "a");
    await new Promise((resolve) => setTimeout(resolve, 200));
    writeSync(fd, `${JSON.stringify({ late: true })}\n`);
    closeSync(fd);
    await waitFor(() => existsSync(join(directory, `${segment}.gz`)));
    await t.close();
    expect(fileText(directory, `${segment}.gz`)).toContain('{"late":true}');
    expect(existsSync(join(directory, segment))).toBe(false);
  });

  it("removes temp files of a dead compression and leaves their source alone", async () => {
    const directory = tempDir();
    const name = "user.20250301T101500123Z.jsonl";
    writeFileSync(join(directory, name), `${JSON.stringify({ a: 1 })}\n`);
    const temp = `.${name}.gz.tmp-0123abcd`;
    writeFileSync(join(directory, temp), "half a gzip");
    const t = new Tracker({ directory, rotate: { size: 10_000, compress: true, graceMs: 0 } });
    t.record("user", "e", { i: 0 });
    await waitFor(() => existsSync(join(directory, `${name}.gz`)));
    await t.close();
    expect(existsSync(join(directory, temp))).toBe(false);
    expect(fileText(directory, `${name}.gz`)).toBe(`${JSON.stringify({ a: 1 })}\n`);
  });
});

describe("retention", () => {
  it("keeps the newest maxSegments segments and never the live file", async () => {
    const directory = tempDir();
    const t = new Tracker({
      directory,
      bufferBytes: 0,
      rotate: { size: 500, maxSegments: 2, graceMs: 0 },
    });
    for (let i = 0; i < 60; i++) t.record("user", "e", { i });
    const rotated = t.stats().rotated;
    await waitFor(() => t.stats().removed === rotated - 2);
    await t.close();
    const files = channelFiles(directory, "user");
    expect(files).toHaveLength(3);
    expect(files.at(-1)).toBe("user.jsonl");
    // What is left is the end of the history, in order.
    const left = seqs(directory);
    expect(left).toEqual(range(60).slice(60 - left.length));
  });

  it("deletes segments rotated more than maxAgeMs ago, by the tracker's clock", async () => {
    const directory = tempDir();
    let now = Date.UTC(2025, 2, 1, 10, 0, 0);
    const t = new Tracker({
      directory,
      bufferBytes: 0,
      clock: () => now,
      rotate: { frequency: "hourly", compress: true, maxAgeMs: 2 * 3_600_000, graceMs: 0 },
    });
    for (let hour = 0; hour < 5; hour++) {
      t.record("user", "e", { i: hour });
      now += 3_600_000;
    }
    t.record("user", "e", { i: 5 });
    await waitFor(() => t.stats().removed === 2 && t.stats().compressed >= 3);
    await t.close();
    // Rotated at 11:00 and 12:00 are older than 2 hours at 15:00; 13:00 and 14:00 and 15:00 stay.
    expect(channelFiles(directory, "user")).toEqual([
      "user.20250301T130000000Z.jsonl.gz",
      "user.20250301T140000000Z.jsonl.gz",
      "user.20250301T150000000Z.jsonl.gz",
      "user.jsonl",
    ]);
  });

  it("never deletes a segment written to within graceMs", async () => {
    const directory = tempDir();
    const t = new Tracker({
      directory,
      bufferBytes: 0,
      rotate: { size: 300, maxSegments: 1, graceMs: 60_000 },
    });
    for (let i = 0; i < 20; i++) t.record("user", "e", { i });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await t.close();
    expect(t.stats().removed).toBe(0);
    expect(seqs(directory)).toEqual(range(20));
  });
});

describe("the rotation lock", () => {
  it("skips a rotation while another live process holds the lock, writing on to the live file", async () => {
    const directory = tempDir();
    const lock = join(directory, ".user.rotate-lock");
    writeFileSync(lock, `${process.pid} abcdef\n`);
    const t = new Tracker({ directory, bufferBytes: 0, rotate: { size: 300 } });
    for (let i = 0; i < 10; i++) t.record("user", "e", { i });
    expect(t.stats().rotated).toBe(0);
    // A holder silent for longer than the staleness limit is taken for dead.
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    for (let i = 10; i < 20; i++) t.record("user", "e", { i });
    await t.close();
    expect(t.stats().rotated).toBeGreaterThan(0);
    expect(seqs(directory)).toEqual(range(20));
    expect(existsSync(lock)).toBe(false);
  });

  it("breaks a lock whose holder process is gone", async () => {
    const directory = tempDir();
    // Pids are below 2^22 on Linux: this one cannot be running.
    writeFileSync(join(directory, ".user.rotate-lock"), "99999999 abcdef\n");
    const t = new Tracker({ directory, bufferBytes: 0, rotate: { size: 300 } });
    for (let i = 0; i < 10; i++) t.record("user", "e", { i });
    await t.close();
    expect(t.stats().rotated).toBeGreaterThan(0);
    expect(seqs(directory)).toEqual(range(10));
  });
});

describe("rotation in a worker thread", () => {
  it("keeps every event whose record() returned when the worker is terminated", async () => {
    const directory = tempDir();
    const result = await runTs("test/fixtures/processes/worker-rotating.ts", [directory, "500"]);
    expect(result.code, result.stderr).toBe(0);
    const stats = JSON.parse(result.stdout);
    expect(stats.recorded).toBe(500);
    expect(stats.rotated).toBeGreaterThan(3);
    expect(seqs(directory)).toEqual(range(500));
  });
});

describe("segments that are not what they seem", () => {
  it("never compresses through a symlink planted under a segment's name", async () => {
    const directory = tempDir();
    const secret = join(tempDir(), "secret.txt");
    writeFileSync(secret, "not telemetry\n");
    const planted = "user.20250301T090000000Z.jsonl";
    symlinkSync(secret, join(directory, planted));
    const real = "user.20250301T100000000Z.jsonl";
    writeFileSync(join(directory, real), `${JSON.stringify({ a: 1 })}\n`);
    const t = new Tracker({ directory, rotate: { size: 10_000, compress: true, graceMs: 0 } });
    t.record("user", "e", { i: 0 });
    await waitFor(() => existsSync(join(directory, `${real}.gz`)));
    await t.close();
    expect(existsSync(join(directory, `${planted}.gz`))).toBe(false);
    expect(lstatSync(join(directory, planted)).isSymbolicLink()).toBe(true);
  });
});

describe("rotation at the end of a process", () => {
  it.each([
    ["process.exit()", "exit", 0, null],
    ["SIGTERM", "sigterm", null, "SIGTERM"],
  ])(
    "the exit flush rotates as needed and keeps every event (%s)",
    async (_, mode, code, signal) => {
      const directory = tempDir();
      const result = await runTs("test/fixtures/processes/rotating-exit.ts", [
        directory,
        mode,
        "3500",
      ]);
      expect(result.code, result.stderr).toBe(code);
      expect(result.signal).toBe(signal);
      expect(channelFiles(directory, "user").length).toBeGreaterThan(5);
      expect(seqs(directory)).toEqual(range(3500));
    },
  );
});

describe("rotation with many channels", () => {
  it("rotates every channel and loses nothing when maxOpenFiles closes their handles", async () => {
    const directory = tempDir();
    const t = new Tracker({ directory, bufferBytes: 0, maxOpenFiles: 2, rotate: { size: 600 } });
    for (let i = 0; i < 40; i++) for (let c = 0; c < 10; c++) t.record(`ch${c}`, "e", { i });
    await t.close();
    for (let c = 0; c < 10; c++) {
      expect(channelFiles(directory, `ch${c}`).length).toBeGreaterThan(3);
      const lines = channelLines(directory, `ch${c}`).map((line) => JSON.parse(line).payload.i);
      expect(lines).toEqual(range(40));
    }
  });
});

describe("compression while the application keeps recording", () => {
  it("compresses every segment, also those rotated while a pass was running", async () => {
    const directory = tempDir();
    const t = new Tracker({
      directory,
      bufferBytes: 0,
      rotate: { size: 4000, compress: true, graceMs: 0 },
    });
    for (let round = 0; round < 30; round++) {
      for (let i = 0; i < 40; i++) t.record("user", "e", { i: round * 40 + i });
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    await waitFor(() => t.stats().compressed === t.stats().rotated, 10_000);
    await t.close();
    expect(t.stats().rotated).toBeGreaterThan(20);
    expect(seqs(directory)).toEqual(range(1200));
  });
});

describe("a directory that does not exist yet", () => {
  it("is created by the first write; the maintenance pass before it reports nothing", async () => {
    const directory = join(tempDir(), "not", "yet");
    const errors: unknown[] = [];
    const t = new Tracker({
      directory,
      flushIntervalMs: 200,
      onError: (e) => errors.push(e),
      rotate: { size: 1000, compress: true, maxSegments: 3 },
    });
    t.record("user", "e", { i: 0 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(directory)).toBe(false);
    await t.close();
    expect(errors).toEqual([]);
    expect(seqs(directory)).toEqual([0]);
  });
});
