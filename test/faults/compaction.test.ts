import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { appendHostEvents, BIN, datasetFiles, datasetRows, runBin } from "../helpers/fleet.js";
import { waitForExit } from "../helpers/spawn-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const HOSTS = ["a", "b", "c"];

// A dataset of three writers with many small part files (10 rows each), over 4 partitions.
async function smallFiles(events: number): Promise<string> {
  const base = tempDir();
  const dataset = join(base, "events");
  await Promise.all(
    HOSTS.map(async (host) => {
      const input = join(base, `in-${host}`);
      appendHostEvents(input, host, 0, events);
      const args = ["export", "-i", input, "-f", "parquet", "--partition-by", "channel,day"];
      const run = await runBin([
        ...args,
        "-o",
        dataset,
        "--writer",
        host,
        "--row-group-size",
        "10",
        "-q",
      ]);
      expect(run.code).toBe(0);
    }),
  );
  return dataset;
}

const stageOf = (dataset: string) => join(dataset, "..", ".events.dataset", "stage");

// Resolves once the compaction has begun writing merged files beside the dataset.
async function whenStaging(dataset: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  const staged = () =>
    existsSync(stageOf(dataset)) &&
    readdirSync(stageOf(dataset), { recursive: true }).some((f) => String(f).endsWith(".parquet"));
  while (!staged() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
  expect(staged()).toBe(true);
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
