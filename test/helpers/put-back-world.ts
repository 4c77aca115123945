// Input files read by the CLI's incremental ETL and incremental partitioned Parquet export, then
// deleted (archived), and put back: both outputs' event counts say whether any event was
// exported twice, or lost.
import { copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { expect } from "vitest";
import { partitionedExportArgs, runCli } from "./cli.js";
import { duckdbRows } from "./duckdb.js";
import { tempDir } from "./temp-dir.js";

/** What both outputs hold after a run: events, and distinct timestamps among them. */
export interface Held {
  readonly etl: number;
  readonly parquet: number;
  readonly distinct: number;
}

export function putBackWorld() {
  const input = tempDir();
  const backup = tempDir();
  const out = tempDir();
  const parts = tempDir();
  const at = (name: string) => join(input, name);
  let runs = 0;
  /** Both incremental runs through the CLI (each continuing the one before); what they hold. */
  const run = async (): Promise<Held> => {
    const etl = await runCli(["etl", "-i", input, "--output-dir", out, "--incremental"]);
    const exported = await runCli(partitionedExportArgs(input, parts, "channel", "--incremental"));
    for (const { code, stderr } of [etl, exported]) {
      expect(code).toBe(0);
      if (runs > 0) expect(stderr).not.toMatch(/full run/);
    }
    runs++;
    const events = JSON.parse(readFileSync(join(out, "telemetry_events.json"), "utf8"));
    const [row] = await duckdbRows(
      `SELECT count(*)::INTEGER AS n, count(DISTINCT timestamp)::INTEGER AS d FROM read_parquet('${parts}/**/*.parquet', hive_partitioning = true)`,
    );
    return { etl: events.length, parquet: Number(row?.n), distinct: Number(row?.d) };
  };
  return {
    input,
    run,
    write: (name: string, text: string) => writeFileSync(at(name), text),
    save: (name: string) => copyFileSync(at(name), join(backup, name)),
    remove: (name: string) => rmSync(at(name)),
    /** Puts the backup of `name` back as `as`. */
    restore: (name: string, as = name) => copyFileSync(join(backup, name), at(as)),
    /** Puts the backup of `name` back compressed, as `as`. */
    restoreGzip: (name: string, as: string) =>
      writeFileSync(at(as), gzipSync(readFileSync(join(backup, name)))),
  };
}

/** `n` of each: what both outputs hold when every event is there once. */
export const held = (n: number, distinct = n): Held => ({ etl: n, parquet: n, distinct });
