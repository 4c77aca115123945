import {
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportEvents, runEtl, type ScanProgress } from "../../src/exporter/index.js";
import { duckdbRows } from "../helpers/duckdb.js";
import { eventLine, NOW } from "../helpers/event-lines.js";
import { tempDir } from "../helpers/temp-dir.js";

// Small segments read in this thread: the progress callback after the first segment runs
// between two reads of the file, a deterministic "meanwhile".
const TUNING = { workers: 0, segmentBytes: 2048 };

function lines(from: number, n: number, event = "e"): string {
  return Array.from(
    { length: n },
    (_, i) =>
      `${eventLine({
        event,
        timestamp: new Date(Date.UTC(2025, 2, 1 + ((from + i) % 3))),
        payload: { k: from + i },
      })}\n`,
  ).join("");
}

// Once, after the first segment: what a collector's `cp` onto the file does meanwhile.
function onceAfterFirst(step: () => void): (p: ScanProgress) => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    step();
  };
}

const etlEvents = (dir: string) =>
  (JSON.parse(readFileSync(join(dir, "telemetry_events.json"), "utf8")) as unknown[]).length;

// An incremental Parquet export of `input` into `out`, partitioned by day.
const partitionedOptions = (input: string, out: string) => ({
  inputs: [input],
  output: out,
  format: "parquet" as const,
  partitionBy: "day" as const,
  incremental: true,
});

async function partitionedRows(dir: string): Promise<number> {
  const rows = await duckdbRows(
    `SELECT count(*)::INTEGER AS n FROM read_parquet('${dir}/**/*.parquet', hive_partitioning = true)`,
  );
  return rows[0]?.n as number;
}

describe("an input file that changes while an incremental run reads it", () => {
  it("etl: a file cut short meanwhile is an error, its bytes are not claimed, and the next run loses nothing", async () => {
    const input = tempDir();
    const out = tempDir();
    const file = join(input, "a.jsonl");
    const original = lines(0, 200);
    writeFileSync(file, original);
    const inode = statSync(file).ino;
    const first = await runEtl(
      {
        inputs: [input],
        outputDir: out,
        incremental: true,
        now: NOW,
        onProgress: onceAfterFirst(() => truncateSync(file, 100)),
      },
      TUNING,
    );
    const inventory = first.scan.files[0];
    expect(inventory?.error).toMatch(/shrank while it was read/);
    expect(first.scan.diagnostics.byCode.unreadable_file).toBeGreaterThan(0);
    // Read less than planned, and says so.
    expect(first.incremental?.bytesRead).toBeLessThan(original.length);
    expect(first.incremental?.bytesTotal).toBe(original.length);

    // The collector's copy completes (same inode), and one more line is appended.
    writeFileSync(file, original + lines(200, 1, "late"));
    expect(statSync(file).ino).toBe(inode);
    const second = await runEtl({ inputs: [input], outputDir: out, incremental: true, now: NOW });
    expect(second.scan.totals.valid).toBe(201);
    expect(etlEvents(out)).toBe(201);
    // And the run after that is incremental again.
    const third = await runEtl({ inputs: [input], outputDir: out, incremental: true, now: NOW });
    expect(third.incremental?.mode).toBe("incremental");
    expect(etlEvents(out)).toBe(201);
  });

  it("etl: a file rewritten in place with other content meanwhile is not checkpointed; the next run continues the state before", async () => {
    const input = tempDir();
    const out = tempDir();
    const file = join(input, "a.jsonl");
    writeFileSync(file, lines(0, 100));
    await runEtl({ inputs: [input], outputDir: out, incremental: true, now: NOW });
    writeFileSync(file, lines(0, 100) + lines(100, 100));
    // Meanwhile the file is rewritten whole, other events, longer than planned.
    const rewritten = lines(1000, 300, "other");
    const first = await runEtl(
      {
        inputs: [input],
        outputDir: out,
        incremental: true,
        now: NOW,
        onProgress: onceAfterFirst(() => writeFileSync(file, rewritten)),
      },
      TUNING,
    );
    expect(first.scan.files[0]?.error).toMatch(/rewritten while it was read/);
    const second = await runEtl({ inputs: [input], outputDir: out, incremental: true, now: NOW });
    // The state of the run before is left, not removed (a removed one made this a full run,
    // which drops every archived file's events): the file is taken for a new one, as a file
    // rewritten between two runs is; the 100 events read before stay, archived, each once.
    expect(second.incremental?.mode).toBe("incremental");
    expect(etlEvents(out)).toBe(400);
    expect(second.report.by_event).toEqual({ e: 100, other: 300 });
  });

  it("partitioned export: a file cut short meanwhile leaves no checkpoint, and the next run loses nothing", async () => {
    const input = tempDir();
    const out = join(tempDir(), "ds");
    const file = join(input, "a.jsonl");
    const original = lines(0, 200);
    writeFileSync(file, original);
    const options = partitionedOptions(input, out);
    const first = await exportEvents(
      { ...options, onProgress: onceAfterFirst(() => truncateSync(file, 100)) },
      TUNING,
    );
    expect(first.scan.files[0]?.error).toMatch(/shrank while it was read/);
    expect(first.incremental?.bytesRead).toBeLessThan(original.length);
    expect(readdirSync(out)).not.toContain(".export-state.json");

    writeFileSync(file, original + lines(200, 1, "late"));
    const second = await exportEvents(options);
    expect(second.incremental?.mode).toBe("full");
    expect(await partitionedRows(out)).toBe(201);
  });

  // docs/incremental.md: continuing a state, such a run publishes nothing and says which file.
  it("partitioned export continuing a state: a file cut short meanwhile publishes nothing, named", async () => {
    const input = tempDir();
    const out = join(tempDir(), "ds");
    const file = join(input, "a.jsonl");
    writeFileSync(file, lines(0, 100));
    const options = partitionedOptions(input, out);
    await exportEvents(options);
    const grown = lines(0, 100) + lines(100, 100);
    writeFileSync(file, grown);
    // Cut inside what was appended, once the run has read its first segment of it.
    const within = Buffer.byteLength(lines(0, 100)) + 2500;
    const cut = exportEvents(
      { ...options, onProgress: onceAfterFirst(() => truncateSync(file, within)) },
      TUNING,
    );
    await expect(cut).rejects.toMatchObject({
      code: "input_error",
      message: expect.stringMatching(
        new RegExp(
          `^${file.replace(/[.]/g, "\\.")} was not read to its end \\(shrank while it was read[^)]*\\); nothing was published: the dataset and its state stay as the last run left them`,
        ),
      ),
    });
    expect(await partitionedRows(out)).toBe(100);
    writeFileSync(file, grown);
    const next = await exportEvents(options);
    expect(next.incremental?.mode).toBe("incremental");
    expect(await partitionedRows(out)).toBe(200);
  });

  it.each([0, 2])(
    "etl (%i workers): a file renamed by rotation meanwhile is read whole, and followed by the next run",
    async (workers) => {
      const input = tempDir();
      const out = tempDir();
      const live = join(input, "user.jsonl");
      writeFileSync(live, lines(0, 400));
      // The Tracker's rotation: the live file becomes a segment, and a new live file starts.
      const rotate = () => {
        renameSync(live, join(input, "user.20250301T000000000Z.jsonl"));
        writeFileSync(live, lines(400, 3, "fresh"));
      };
      const first = await runEtl(
        {
          inputs: [input],
          outputDir: out,
          incremental: true,
          now: NOW,
          onProgress: onceAfterFirst(rotate),
        },
        { ...TUNING, workers },
      );
      // Its later segments were once read from the new live file: cut short, 400 events lost.
      expect(first.scan.diagnostics.errors).toBe(0);
      expect(first.scan.totals.valid).toBe(400);
      expect(etlEvents(out)).toBe(400);
      const second = await runEtl({ inputs: [input], outputDir: out, incremental: true, now: NOW });
      expect(second.incremental).toMatchObject({ mode: "incremental", eventsAdded: 3 });
      expect(etlEvents(out)).toBe(403);
    },
  );
});
