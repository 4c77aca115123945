import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { partitionedExportArgs } from "../helpers/cli.js";
import { duckdbRows } from "../helpers/duckdb.js";
import { runBin } from "../helpers/run-bin.js";
import { startTs, waitForExit, waitForLine } from "../helpers/spawn-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const WRITER = "test/fixtures/processes/append-steadily.ts";
const ROUNDS = 4;

type Event = { payload: { seq: number } };

function aggregates(dir: string): Record<string, unknown> {
  const report = JSON.parse(readFileSync(join(dir, "telemetry_aggregates.json"), "utf8"));
  delete report.generated_at;
  return report;
}

// The ETL output as it stands: a valid JSON array without NUL bytes or a repeated event, and
// aggregates that count exactly its events.
function checkEtlOutput(out: string): Event[] {
  const bytes = readFileSync(join(out, "telemetry_events.json"));
  expect(bytes.includes(0)).toBe(false);
  const events = JSON.parse(bytes.toString("utf8")) as Event[];
  const seqs = events.map((e) => e.payload.seq);
  expect(new Set(seqs).size).toBe(seqs.length);
  const totals = (aggregates(out) as { totals: { valid: number } }).totals;
  expect(totals.valid).toBe(events.length);
  return events;
}

// Rounds of three runs at once while a Tracker appends; returns what the writer recorded.
async function concurrentRounds(
  input: string,
  args: () => string[],
  afterRound: () => void = () => {},
): Promise<number> {
  const writer = startTs(WRITER, [input, "2000", "100", "15"]);
  await waitForLine(writer, /ready/);
  const recorded = waitForLine(writer, /recorded \d+/);
  for (let round = 0; round < ROUNDS; round++) {
    const runs = await Promise.all([runBin(args()), runBin(args()), runBin(args())]);
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    afterRound();
  }
  const line = await recorded;
  await waitForExit(writer);
  return Number(line.split(" ")[1]);
}

describe("concurrent incremental runs on one output", () => {
  it("three etl --incremental runs at a time while a Tracker appends: the result equals a full run", async () => {
    const input = tempDir();
    const out = tempDir();
    const etl = () => ["etl", "--incremental", "-i", input, "--output-dir", out, "-q"];
    const recorded = await concurrentRounds(input, etl, () => checkEtlOutput(out));
    const last = await runBin(etl());
    expect(last.code, last.stderr).toBe(0);
    const reference = tempDir();
    const full = await runBin(["etl", "-i", input, "--output-dir", reference, "-q"]);
    expect(full.code, full.stderr).toBe(0);

    const events = checkEtlOutput(out);
    expect(events.length).toBe(recorded);
    // The same events (an incremental array grows at its end, so its order is by run).
    const bySeq = (list: Event[]) => [...list].sort((a, b) => a.payload.seq - b.payload.seq);
    const expected = JSON.parse(readFileSync(join(reference, "telemetry_events.json"), "utf8"));
    expect(bySeq(events)).toEqual(bySeq(expected));
    expect(aggregates(out)).toEqual(aggregates(reference));
    expect((aggregates(out) as { totals: { valid: number } }).totals.valid).toBe(recorded);
  }, 120_000);

  it("three export --incremental runs at a time while a Tracker appends: every event once", async () => {
    const input = tempDir();
    const parts = join(tempDir(), "parts");
    const exportArgs = () => [...partitionedExportArgs(input, parts), "--incremental", "-q"];
    const recorded = await concurrentRounds(input, exportArgs);
    const last = await runBin(exportArgs());
    expect(last.code, last.stderr).toBe(0);
    const rows = await duckdbRows(
      `SELECT count(*)::INTEGER AS n, count(DISTINCT payload->>'seq')::INTEGER AS d
       FROM read_parquet('${parts}/**/*.parquet', hive_partitioning = true)`,
    );
    expect(rows).toEqual([{ n: recorded, d: recorded }]);
  }, 120_000);
});
