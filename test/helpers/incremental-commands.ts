// The two incremental commands that keep a state of what they read, as fault tests run them
// through the built CLI, and the numbers (payload `i`, from numbered-input.ts) each published.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { duckdbRows } from "./duckdb.js";

export type IncrementalCommand = "etl" | "partitioned export";

export const INCREMENTAL_COMMANDS: readonly IncrementalCommand[] = ["etl", "partitioned export"];

/** The command's arguments reading `input` into `out` (`etl`'s directory, or the dataset). */
export function incrementalArgs(
  command: IncrementalCommand,
  input: string,
  out: string,
  extra: readonly string[] = [],
): string[] {
  return command === "etl"
    ? ["etl", "--incremental", ...extra, "-i", input, "--output-dir", out]
    : [
        ...["export", "--incremental", ...extra, "-i", input, "--output", out],
        ...["--format", "parquet", "--partition-by", "channel"],
      ];
}

/** The numbers of the events the command published in `out`, in order (repeats kept). */
export async function publishedNumbers(
  command: IncrementalCommand,
  out: string,
): Promise<number[]> {
  if (command === "etl") {
    const events = JSON.parse(readFileSync(join(out, "telemetry_events.json"), "utf8")) as {
      payload: { i: number };
    }[];
    return events.map((e) => e.payload.i).sort((a, b) => a - b);
  }
  const rows = await duckdbRows(
    `SELECT CAST(json_extract(payload, '$.i') AS INTEGER) AS i FROM read_parquet('${out}/**/*.parquet') ORDER BY i`,
  );
  return rows.map((r) => r.i as number);
}
