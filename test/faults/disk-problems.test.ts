import { execFileSync } from "node:child_process";
import {
  appendFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statfsSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { exportEvents, runEtl, scanEvents } from "../../src/exporter/index.js";
import { writeSyncedFile } from "../../src/exporter/sinks/dataset/write-synced-file.js";
import { type TelemetryError, Tracker } from "../../src/index.js";
import { eventLine } from "../helpers/event-lines.js";
import { tempDir } from "../helpers/temp-dir.js";

const mounts: string[] = [];
afterEach(() => {
  for (const dir of mounts.splice(0)) execFileSync("umount", [dir]);
});

/** A tmpfs of `size` (256 KiB), or undefined where this machine does not allow mounting one. */
function smallDisk(size = "256k"): string | undefined {
  const dir = join(tempDir(), "disk");
  mkdirSync(dir);
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir], { stdio: "ignore" });
  } catch {
    return undefined;
  }
  mounts.push(dir);
  return dir;
}

describe("a full disk", () => {
  it("never throws from record(), reports ENOSPC, counts drops exactly, and resumes when space returns", async (context) => {
    const disk = smallDisk();
    if (disk === undefined) {
      context.skip(
        "mounting a tmpfs is not allowed here; ENOSPC is injected in tracker-io.test.ts",
      );
      return;
    }
    // Leave room for about 100 KiB of events, then take the rest with a filler file.
    writeFileSync(join(disk, "filler"), Buffer.alloc(150 * 1024));
    const errors: TelemetryError[] = [];
    const directory = join(disk, "telemetry");
    const tracker = new Tracker({ directory, onError: (e) => errors.push(e), bufferBytes: 4096 });
    for (let i = 0; i < 2000; i++) tracker.record("user", "fill", { i, pad: "p".repeat(100) });
    await tracker.flush();
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]?.code).toBe("io_error");
    expect(errors[0]?.message).toContain("ENOSPC");
    const full = tracker.stats();
    expect(full.dropped).toBeGreaterThan(0);
    expect(full.written + full.dropped).toBe(2000);

    rmSync(join(disk, "filler"));
    for (let i = 0; i < 100; i++) tracker.record("user", "after", { i });
    await tracker.close();
    const end = tracker.stats();
    expect(end).toMatchObject({
      recorded: 2100,
      written: full.written + 100,
      dropped: full.dropped,
    });

    // What is on disk is exactly what was counted as written; a torn line is at most reported.
    const scan = await scanEvents({ inputs: [directory] }, []);
    expect(scan.totals.valid).toBe(end.written);
    expect(scan.totals.invalid).toBeLessThanOrEqual(1);
  });
});

/** A directory of `count` events whose payloads compress badly (`width`: how long). */
function noisyEvents(count: number, width: number): string {
  const input = tempDir();
  const lines = Array.from({ length: count }, (_, k) =>
    eventLine({
      channel: "user",
      event: "fill",
      timestamp: new Date(Date.UTC(2025, 2, 1) + k * 1000),
      payload: { k, noise: (k * 2_654_435_761).toString(36).repeat(width) },
    }),
  );
  writeFileSync(join(input, "user.jsonl"), `${lines.join("\n")}\n`);
  return input;
}

describe("a Parquet export onto a full disk", () => {
  it("fails with ENOSPC while row groups are still being encoded, and keeps the previous file", async (context) => {
    const disk = smallDisk();
    if (disk === undefined) {
      context.skip("mounting a tmpfs is not allowed here");
      return;
    }
    // About 3 MB of events that compress badly, in 48 KiB segments read by two workers, with
    // row groups of 500 rows: many segments are sent to the encoder before the first write
    // fails on the 256 KiB disk.
    const input = noisyEvents(12_000, 12);
    const output = join(disk, "events.parquet");
    writeFileSync(output, "previous output");
    const run = exportEvents(
      { inputs: [input], format: "parquet", output, rowGroupSize: 500 },
      { workers: 2, segmentBytes: 48 * 1024 },
    );
    await expect(run).rejects.toThrow(/ENOSPC/);
    expect(readFileSync(output, "utf8")).toBe("previous output");
    expect(readdirSync(disk)).toEqual(["events.parquet"]);
  });
});

/** Fills `disk` with a file until `free` bytes (rounded down to pages) are left. */
function leaveFree(disk: string, free: number): void {
  const { bavail, bsize } = statfsSync(disk);
  const filler = bavail * bsize - Math.ceil(free / bsize) * bsize;
  writeFileSync(join(disk, "filler"), Buffer.alloc(Math.max(0, filler)));
}

describe("a text export read in the main thread onto a full disk", () => {
  // Read without workers, a segment's text is written while the next segment is read: the write
  // that fails must fail the run, as itself, with no rejection left unhandled meanwhile.
  it("fails with ENOSPC while later segments are read, and keeps the previous file", async (context) => {
    const disk = smallDisk();
    if (disk === undefined) {
      context.skip("mounting a tmpfs is not allowed here");
      return;
    }
    const input = noisyEvents(12_000, 12);
    // Compressed files are read as streams, so the failed write comes back while the next one
    // is read, not only once it has been.
    const lines = readFileSync(join(input, "user.jsonl"), "utf8").split("\n");
    for (let k = 0; k < 6; k++) {
      const part = lines.slice(k * 2000, (k + 1) * 2000).join("\n");
      writeFileSync(join(input, `user.2025030${k}T000000000Z.jsonl.gz`), gzipSync(`${part}\n`));
    }
    for (const format of ["json", "jsonl"] as const) {
      const output = join(disk, `events.${format}`);
      writeFileSync(output, "previous output");
      const run = exportEvents(
        { inputs: [input], format, output },
        { workers: 0, segmentBytes: 48 * 1024 },
      );
      await expect(run).rejects.toThrow(/ENOSPC/);
      expect(readFileSync(output, "utf8")).toBe("previous output");
    }
    expect(readdirSync(disk).sort()).toEqual(["events.json", "events.jsonl"]);
  });
});

describe("a write that runs out of space part-way", () => {
  // The kernel takes what fits and reports it, with no error; only the next write says ENOSPC.
  // When the short write is a file's last, nothing else would have failed.
  it("fails a Parquet export whose footer does not fit, and keeps the previous file", async (context) => {
    const disk = smallDisk();
    if (disk === undefined) {
      context.skip("mounting a tmpfs is not allowed here");
      return;
    }
    // Row groups of 4 rows: the footer (one entry a group) is about a third of the file.
    const input = noisyEvents(1200, 3);
    const options = { inputs: [input], format: "parquet" as const, rowGroupSize: 4 };
    const reference = join(tempDir(), "events.parquet");
    await exportEvents({ ...options, output: reference });
    const bytes = readFileSync(reference);
    const footer = bytes.readUInt32LE(bytes.length - 8) + 8;
    expect(footer).toBeGreaterThan(16 * 1024);

    const output = join(disk, "events.parquet");
    writeFileSync(output, "previous output");
    // Room for the row groups and half the footer.
    leaveFree(disk, bytes.length - footer / 2);
    await expect(exportEvents({ ...options, output })).rejects.toThrow(/ENOSPC/);
    expect(readFileSync(output, "utf8")).toBe("previous output");
    expect(readdirSync(disk).sort()).toEqual(["events.parquet", "filler"]);
  });

  it("fails a synced file (a part file, a compacted file) that does not fit", async (context) => {
    const disk = smallDisk();
    if (disk === undefined) {
      context.skip("mounting a tmpfs is not allowed here");
      return;
    }
    leaveFree(disk, 32 * 1024);
    const path = join(disk, "part.parquet");
    await expect(writeSyncedFile(path, Buffer.alloc(96 * 1024, 7))).rejects.toThrow(/ENOSPC/);
  });
});

describe("an incremental ETL onto a full disk", () => {
  it("fails while bringing the spare up to date, keeps the events file, and the next run with room is right", async (context) => {
    const disk = smallDisk("2m");
    if (disk === undefined) {
      context.skip("mounting a tmpfs is not allowed here");
      return;
    }
    const input = tempDir();
    const live = join(input, "user.jsonl");
    const batch = (from: number, count: number) =>
      Array.from({ length: count }, (_, k) =>
        eventLine({
          channel: "user",
          event: "fill",
          timestamp: new Date(Date.UTC(2025, 2, 1) + (from + k) * 1000),
          payload: { k: from + k, pad: "p".repeat(200) },
        }),
      ).join("\n");
    writeFileSync(live, `${batch(0, 400)}\n`);
    const outputDir = join(disk, "out");
    const run = () => runEtl({ inputs: [input], outputDir, incremental: true });
    await run();
    appendFileSync(live, `${batch(400, 300)}\n`);
    await run(); // copies the events file; the one it replaced is the spare
    const events = join(outputDir, "telemetry_events.json");
    const before = readFileSync(events);
    // The next run copies the 300 events the spare lacks (about 80 KB) into it: no room.
    appendFileSync(live, `${batch(700, 10)}\n`);
    leaveFree(disk, 16 * 1024);
    await expect(run()).rejects.toThrow(/ENOSPC/);
    expect(readFileSync(events).equals(before)).toBe(true);
    expect(readdirSync(outputDir).filter((f) => f.startsWith(".") && !f.endsWith(".json"))).toEqual(
      [],
    );

    rmSync(join(disk, "filler"));
    const done = await run();
    const full = join(tempDir(), "full");
    await runEtl({ inputs: [input], outputDir: full });
    expect(readFileSync(events).equals(readFileSync(join(full, "telemetry_events.json")))).toBe(
      true,
    );
    expect(done.incremental).toMatchObject({ mode: "incremental" });
  });
});

describe("a read-only file system", () => {
  it("is reported with EROFS, counted, and recording resumes once it is writable again", async (context) => {
    const disk = smallDisk();
    if (disk === undefined) {
      context.skip("mounting a tmpfs is not allowed here");
      return;
    }
    const directory = join(disk, "telemetry");
    mkdirSync(directory);
    execFileSync("mount", ["-o", "remount,ro", disk]);
    const errors: TelemetryError[] = [];
    const tracker = new Tracker({ directory, onError: (e) => errors.push(e) });
    expect(() => tracker.record("user", "lost")).not.toThrow();
    await tracker.flush();
    expect(errors[0]?.message).toContain("EROFS");
    expect(tracker.stats()).toMatchObject({ recorded: 1, written: 0, dropped: 1, errors: 1 });

    execFileSync("mount", ["-o", "remount,rw", disk]);
    const kept = tracker.record("user", "kept");
    await tracker.close();
    const scan = await scanEvents({ inputs: [directory] }, []);
    expect(scan.totals.valid).toBe(1);
    expect(tracker.stats()).toMatchObject({ recorded: 2, written: 1, dropped: 1 });
    expect(kept.event).toBe("kept");
  });
});
