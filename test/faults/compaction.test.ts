import { spawn } from "node:child_process";
import {
  appendFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { duckdbRows } from "../helpers/duckdb.js";
import { appendHostEvents, datasetFiles, datasetRows } from "../helpers/fleet.js";
import { BIN, runBin } from "../helpers/run-bin.js";
import { finished } from "../helpers/run-child.js";
import { waitForExit } from "../helpers/spawn-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const HOSTS = ["a", "b", "c"];

// `host`'s events exported into the shared dataset as its writer, in part files of 10 rows.
async function exportAsWriter(base: string, dataset: string, host: string, events: number) {
  const input = join(base, `in-${host}`);
  appendHostEvents(input, host, 0, events);
  const run = await runBin([
    ...["export", "-i", input, "-f", "parquet", "--partition-by", "channel,day"],
    ...["-o", dataset, "--writer", host, "--row-group-size", "10", "-q"],
  ]);
  expect(run.code).toBe(0);
}

// A dataset of three writers with many small part files (10 rows each), over 4 partitions.
async function smallFiles(events: number): Promise<string> {
  const base = tempDir();
  const dataset = join(base, "events");
  await Promise.all(
    HOSTS.map(async (host) => {
      await exportAsWriter(base, dataset, host, events);
    }),
  );
  return dataset;
}

// Appends `count` events (numbered from `from`) of `host` to `user.jsonl` and `billing.jsonl`
// in `dir`, one event a day from 2025-03-01 (so each lands in a partition of its own day).
function spreadEvents(dir: string, host: string, from: number, count: number): void {
  mkdirSync(dir, { recursive: true });
  for (const channel of ["user", "billing"]) {
    let text = "";
    for (let i = from; i < from + count; i++) {
      const timestamp = new Date(Date.UTC(2025, 2, 1 + (i % 60), 12)).toISOString();
      text += `${JSON.stringify({ schema_version: "telemetry_event_v1", channel, event: "e", timestamp, payload: { host, channel, i } })}\n`;
    }
    appendFileSync(join(dir, `${channel}.jsonl`), text);
  }
}

const stageOf = (dataset: string) => join(dataset, "..", ".events.dataset", "stage");

// The merged files a compaction has written so far: staged files of names the dataset does not
// hold (its staging may also hold links to the files it reads). None while its staging is
// being made or removed.
function merged(dataset: string): string[] {
  try {
    const list = (dir: string) => (readdirSync(dir, { recursive: true }) as string[]).map(String);
    const known = new Set(list(dataset).map((f) => basename(f)));
    return list(stageOf(dataset)).filter((f) => f.endsWith(".parquet") && !known.has(basename(f)));
  } catch {
    return [];
  }
}

// Resolves once the compaction has begun writing merged files beside the dataset.
async function whenStaging(dataset: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (merged(dataset).length === 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 2));
  }
  expect(merged(dataset).length).toBeGreaterThan(0);
}

describe("compaction of a shared dataset", () => {
  it("readers see every row exactly once while a compaction runs in another process", async () => {
    const dataset = await smallFiles(500);
    const rows = await datasetRows(dataset);
    const filesBefore = await datasetFiles(dataset);
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    const count = async () => {
      const reader = await connection.runAndReadAll(
        `SELECT count(*)::INTEGER AS n FROM read_parquet('${dataset}/**/*.parquet', hive_partitioning = true)`,
      );
      return reader.getRowObjectsJS()[0]?.n;
    };
    const child = spawn(process.execPath, [BIN, "compact", dataset, "-q"], { stdio: "ignore" });
    let exited = false;
    const exit = waitForExit(child).then((result) => {
      exited = true;
      return result;
    });
    const counts: unknown[] = [];
    const failures: string[] = [];
    while (!exited) {
      // A query that listed the files before the one publish and opens them after it finds
      // them gone; it fails rather than reading a mix. Reads run one after another, so at
      // most one can straddle the publish.
      try {
        counts.push(await count());
      } catch (error) {
        failures.push(String(error));
      }
    }
    expect((await exit).code).toBe(0);
    counts.push(await count());
    connection.closeSync();
    instance.closeSync();
    expect(counts.length).toBeGreaterThan(3);
    expect(new Set(counts)).toEqual(new Set([rows.length]));
    expect(failures.length).toBeLessThanOrEqual(1);
    for (const failure of failures) expect(failure).toMatch(/Cannot open file .*No such file/);
    expect(await datasetRows(dataset)).toEqual(rows);
    expect(await datasetFiles(dataset)).toBe(12);
    expect(filesBefore).toBeGreaterThan(12);
  }, 120_000);

  it("killed (SIGKILL) while merging, it loses and duplicates nothing; the next one completes", async () => {
    const dataset = await smallFiles(300);
    const rows = await datasetRows(dataset);
    const before = await datasetFiles(dataset);
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, [BIN, "compact", dataset, "-q"], { stdio: "ignore" });
      await whenStaging(dataset);
      await new Promise((r) => setTimeout(r, 20 * round));
      child.kill("SIGKILL");
      const ended = await waitForExit(child);
      expect(await datasetRows(dataset)).toEqual(rows);
      // The kill may land after the publish: then the files are already merged.
      if (ended.signal !== "SIGKILL") break;
      expect(await datasetFiles(dataset)).toBe(before);
    }
    const done = await runBin(["compact", dataset]);
    expect(done.code).toBe(0);
    expect(await datasetRows(dataset)).toEqual(rows);
    expect(await datasetFiles(dataset)).toBe(12);
    // The killed runs' staging directories are removed by the publish on their host.
    expect(readdirSync(stageOf(dataset))).toEqual([]);
  }, 120_000);

  it("interrupted (SIGINT) while merging, it exits 130, leaves the dataset as it was and no staging", async () => {
    const dataset = await smallFiles(300);
    const rows = await datasetRows(dataset);
    const before = await datasetFiles(dataset);
    const child = spawn(process.execPath, [BIN, "compact", dataset, "-q"], { stdio: "ignore" });
    await whenStaging(dataset);
    child.kill("SIGINT");
    expect((await waitForExit(child)).code).toBe(130);
    expect(await datasetRows(dataset)).toEqual(rows);
    expect(await datasetFiles(dataset)).toBe(before);
    expect(readdirSync(stageOf(dataset))).toEqual([]);
  }, 120_000);
});

describe("compaction racing a writer", () => {
  it("does not publish a merge whose files the writer replaced meanwhile, and says so", async () => {
    const base = tempDir();
    const dataset = join(base, "events");
    for (const host of ["a", "b"]) {
      await exportAsWriter(base, dataset, host, 40);
    }
    const store = join(base, ".events.dataset");
    // This process holds the dataset's lock, so the compaction stops at its publish.
    const lock = join(store, "lock");
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), token: "test" }));
    const child = spawn(process.execPath, [BIN, "compact", dataset], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout?.on("data", (chunk) => {
      stdout += chunk;
    });
    // Four partitions, two writers: eight merged files staged, then it waits for the lock.
    const deadline = Date.now() + 30_000;
    while (merged(dataset).length < 8 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(merged(dataset)).toHaveLength(8);
    // Meanwhile writer a replaces its files (here: a version without them, published as a
    // writer would publish it, holding the lock).
    const current = realpathSync(dataset);
    const next = join(store, "versions", "replaced-by-a");
    for (const file of readdirSync(current, { recursive: true }) as string[]) {
      if (!file.endsWith(".parquet") || file.endsWith("-a.parquet")) continue;
      mkdirSync(dirname(join(next, file)), { recursive: true });
      linkSync(join(current, file), join(next, file));
    }
    symlinkSync(relative(base, next), join(base, "events.link"));
    renameSync(join(base, "events.link"), dataset);
    const rowsOfB = await datasetRows(dataset);
    rmSync(lock);
    expect((await waitForExit(child)).code).toBe(0);
    expect(stdout).toMatch(
      /^compacted \d+ part files into 4 in 4 partitions of .* \(80 rows\); 4 left for later \(their writer replaced files meanwhile\)\n$/,
    );
    expect(await datasetRows(dataset)).toEqual(rowsOfB);
    expect(await datasetFiles(dataset)).toBe(4);
  }, 60_000);

  it("survives a writer's publish while it reads: the version it read is removed, not its files", async () => {
    const base = tempDir();
    const dataset = join(base, "events");
    // Two writers, 60 days of two channels each, in two runs: 240 merges of two one-row files.
    const inputs = ["a", "b"].map((host) => join(base, `in-${host}`));
    for (const half of [0, 1]) {
      for (const [h, input] of inputs.entries()) {
        spreadEvents(input, `h${h}`, half * 60, 60);
        const run = await runBin([
          ...["export", "--incremental", "-i", input, "-f", "parquet"],
          ...["--partition-by", "channel,day", "-o", dataset, "--writer", `h${h}`, "-q"],
        ]);
        expect(run.code, run.stderr).toBe(0);
      }
    }
    const child = spawn(process.execPath, [BIN, "compact", dataset], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const ended = finished(child);
    await whenStaging(dataset);
    // Held mid-merge while writer h0 publishes a version with its new events (which removes
    // the version the compaction is reading).
    child.kill("SIGSTOP");
    expect(merged(dataset).length).toBeLessThan(240);
    const before = realpathSync(dataset);
    spreadEvents(inputs[0] as string, "h0", 120, 30);
    const writer = await runBin([
      ...["export", "--incremental", "-i", inputs[0] as string, "-f", "parquet"],
      ...["--partition-by", "channel,day", "-o", dataset, "--writer", "h0", "-q"],
    ]);
    expect(writer.code, writer.stderr).toBe(0);
    expect(existsSync(before)).toBe(false);
    child.kill("SIGCONT");
    const result = await ended;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^compacted 480 part files into 240 in 120 partitions of /);
    const [row] = await duckdbRows(
      `SELECT count(*)::INTEGER AS n, count(DISTINCT payload::VARCHAR)::INTEGER AS k FROM read_parquet('${dataset}/**/*.parquet', hive_partitioning = true)`,
    );
    expect(row).toEqual({ n: 540, k: 540 });
  }, 120_000);
});
