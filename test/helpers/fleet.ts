// Helpers of the shared-dataset tests: inputs per host, and a dataset's rows and files as
// DuckDB reads them.
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { duckdbRows } from "./duckdb.js";

/**
 * Appends `count` events of `host` to `<dir>/user.jsonl` and `<dir>/billing.jsonl`, over two
 * days; every third has extra top-level fields, so the `extra` column is exercised.
 */
export function appendHostEvents(dir: string, host: string, from: number, count: number): void {
  mkdirSync(dir, { recursive: true });
  for (const channel of ["user", "billing"]) {
    const lines: string[] = [];
    for (let i = from; i < from + count; i++) {
      const extra = i % 3 === 0 ? { host, seq: { n: i } } : {};
      lines.push(
        JSON.stringify({
          schema_version: "telemetry_event_v1",
          channel,
          event: `e${i % 7}`,
          timestamp: `2025-03-0${1 + (i % 2)}T10:${String(i % 60).padStart(2, "0")}:00.${String(i % 1000).padStart(3, "0")}123Z`,
          payload: { host, i, ratio: i / 7, text: "x".repeat(i % 40) },
          ...extra,
        }),
      );
    }
    appendFileSync(join(dir, `${channel}.jsonl`), `${lines.join("\n")}\n`);
  }
}

const ROW = `channel, day, schema_version, event, timestamp::VARCHAR, payload::VARCHAR, extra::VARCHAR`;

/** Every row of Parquet `sources` (globs or files), as sorted JSON texts of all columns. */
export async function rowsOf(sources: readonly string[]): Promise<string[]> {
  const list = sources.map((s) => `'${s}'`).join(", ");
  const rows = await duckdbRows(
    `SELECT ${ROW} FROM read_parquet([${list}], hive_partitioning = true)`,
  );
  return rows.map((r) => JSON.stringify(Object.values(r))).sort();
}

/** The dataset's rows, as {@link rowsOf} gives them. */
export function datasetRows(dataset: string): Promise<string[]> {
  return rowsOf([`${dataset}/**/*.parquet`]);
}

/** How many Parquet files DuckDB reads in the dataset. */
export async function datasetFiles(dataset: string): Promise<number> {
  const [row] = await duckdbRows(
    `SELECT count(DISTINCT filename)::INTEGER AS n FROM read_parquet('${dataset}/**/*.parquet', filename = true)`,
  );
  return row?.n as number;
}
