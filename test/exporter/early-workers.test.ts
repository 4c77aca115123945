import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { guessWorkers } from "../../src/exporter/cli/early-workers.js";
import { DEFAULT_MAX_LINE_BYTES } from "../../src/exporter/contracts.js";
import {
  dropEarlyWorkers,
  earlyWorkerCount,
  startSegmentWorkersEarly,
  takeSegmentWorker,
} from "../../src/exporter/engine/segment-workers.js";
import { aggregateEvents } from "../../src/exporter/index.js";
import { NOW } from "../helpers/event-lines.js";
import { runBin } from "../helpers/run-bin.js";
import { recordSample } from "../helpers/sample-events.js";
import { tempDir } from "../helpers/temp-dir.js";

// A sparse file: its size says 40 MiB, and it takes no room on disk.
function bigFile(path: string): string {
  const fd = openSync(path, "w");
  ftruncateSync(fd, 40 * 1024 * 1024);
  closeSync(fd);
  return path;
}

const cores = Math.min(availableParallelism(), 4);

describe("workers started before the run is planned", () => {
  it("are guessed from the raw arguments: scanning commands over large inputs only", () => {
    const dir = tempDir();
    const big = bigFile(join(dir, "big.jsonl"));
    writeFileSync(join(dir, "small.jsonl"), "{}\n");
    const other = join(dir, "other");
    mkdirSync(other);
    bigFile(join(other, "a.jsonl"));
    bigFile(join(other, "b.txt"));
    expect(guessWorkers(["aggregate", "-i", big, "-o", "x.json", "-q"])).toBe(cores);
    expect(guessWorkers(["export", "-f", "jsonl", "--input", other, "-o", "x"])).toBe(cores);
    expect(guessWorkers(["validate", "-i", big, "--workers", "3"])).toBe(3);
    expect(guessWorkers(["aggregate", "-i", join(dir, "small.jsonl"), join(dir, "b")])).toBe(0);
    expect(guessWorkers(["aggregate", "-i", join(dir, "*.jsonl")])).toBe(0);
    expect(guessWorkers(["aggregate", "-i", big, "--workers", "0"])).toBe(0);
    expect(guessWorkers(["aggregate", "-i", big, "--max-line-bytes", "100"])).toBe(0);
    expect(guessWorkers(["etl", "-i", big, "--incremental"])).toBe(0);
    expect(guessWorkers(["report", "-i", big])).toBe(0);
    expect(guessWorkers([])).toBe(0);
    // The .txt file is not an input of a directory.
    const txtOnly = join(dir, "txt");
    mkdirSync(txtOnly);
    bigFile(join(txtOnly, "a.txt"));
    expect(guessWorkers(["aggregate", "-i", txtOnly])).toBe(0);
  });

  it("are taken by the pool with the same line limit, and results match one thread", async () => {
    const input = tempDir();
    await recordSample(input, 400);
    const sequential = await aggregateEvents({ inputs: [input], now: NOW }, { workers: 0 });
    const [first] = startSegmentWorkersEarly(2, DEFAULT_MAX_LINE_BYTES);
    expect(earlyWorkerCount()).toBe(2);
    // Another limit takes none of them.
    const fresh = takeSegmentWorker(DEFAULT_MAX_LINE_BYTES + 1);
    expect(fresh).not.toBe(first);
    await fresh.terminate();
    expect(earlyWorkerCount()).toBe(2);
    const parallel = await aggregateEvents(
      { inputs: [input], now: NOW },
      { workers: 2, segmentBytes: 4096 },
    );
    expect(earlyWorkerCount()).toBe(0);
    expect(parallel.report).toEqual(sequential.report);
    // A run read in one thread stops the ones it does not use.
    startSegmentWorkersEarly(1, DEFAULT_MAX_LINE_BYTES);
    await aggregateEvents({ inputs: [input], now: NOW }, { workers: 0 });
    expect(earlyWorkerCount()).toBe(0);
    await dropEarlyWorkers();
  });

  it("do not keep the CLI alive when the run ends before reading, and read when it does", async () => {
    const dir = tempDir();
    const input = join(dir, "in");
    mkdirSync(input);
    bigFile(join(input, "big.jsonl"));
    // Refused while planning (the output is a directory): the early workers were never taken.
    const refused = await runBin(["aggregate", "-i", input, "-o", dir, "-q"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/error/);
    // Read by the workers started early: one line of zeros, far too long.
    const out = join(dir, "agg.json");
    const read = await runBin(["aggregate", "-i", input, "-o", out, "-q"]);
    const report = JSON.parse(readFileSync(out, "utf8"));
    const alone = await runBin(["aggregate", "-i", input, "-o", out, "-q", "--workers", "0"]);
    expect(read.code).toBe(alone.code);
    expect(JSON.parse(readFileSync(out, "utf8")).inventory).toEqual(report.inventory);
  }, 60_000);
});
