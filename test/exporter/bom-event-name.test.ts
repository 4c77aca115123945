import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { duckdbRows } from "../helpers/duckdb.js";
import { tempDir } from "../helpers/temp-dir.js";

// U+FEFF is a valid event-name character; a default TextDecoder silently drops it at the start.
const BOM_NAME = "\uFEFFbom";
const line = (event: string, second: number) =>
  JSON.stringify({
    schema_version: "telemetry_event_v1",
    channel: "user",
    event,
    timestamp: `2025-03-01T10:00:0${second}.000Z`,
    payload: { n: second },
  });

function inputDir(): string {
  const input = join(tempDir(), "in");
  const lines = [line(BOM_NAME, 1), line("bom", 2), line(BOM_NAME, 3), line("bom", 4)];
  mkdirSync(input);
  writeFileSync(join(input, "user.jsonl"), `${lines.join("\n")}\n`);
  return input;
}

// What DuckDB reads: each event name's UTF-8 bytes (hex) and its rows' `n`.
async function namesIn(glob: string): Promise<Record<string, unknown>[]> {
  return duckdbRows(
    `SELECT hex(event) AS name, list(payload->>'n' ORDER BY payload->>'n') AS ns
     FROM read_parquet('${glob}', hive_partitioning = true) GROUP BY name ORDER BY name`,
  );
}

const EXPECTED = [
  { name: "626F6D", ns: ["2", "4"] },
  { name: "EFBBBF626F6D", ns: ["1", "3"] },
];

describe("an event name that starts with U+FEFF", () => {
  it("keeps it in Parquet, the aggregates and a compacted dataset, apart from the name without it", async () => {
    const input = inputDir();
    const out = tempDir();
    const file = join(out, "events.parquet");
    expect((await runCli(["export", "-i", input, "-f", "parquet", "-o", file, "-q"])).code).toBe(0);
    expect(await namesIn(file)).toEqual(EXPECTED);

    const report = join(out, "agg.json");
    expect((await runCli(["aggregate", "-i", input, "-o", report, "-q"])).code).toBe(0);
    const byEvent = JSON.parse(readFileSync(report, "utf8")).by_event;
    expect(byEvent).toEqual({ bom: 2, [BOM_NAME]: 2 });

    // One row per part file, so compaction has files to merge and reads them back.
    const dataset = join(out, "dataset");
    const args = ["export", "-i", input, "-f", "parquet", "--partition-by", "channel,day"];
    const exported = await runCli([
      ...[...args, "-o", dataset, "--writer", "host-1", "--row-group-size", "1", "-q"],
    ]);
    expect(exported.code).toBe(0);
    expect(await namesIn(`${dataset}/**/*.parquet`)).toEqual(EXPECTED);
    const compacted = await runCli(["compact", dataset]);
    expect(compacted).toMatchObject({ code: 0, stderr: "" });
    expect(compacted.stdout).toMatch(/^compacted 4 part files into 1 /);
    expect(await namesIn(`${dataset}/**/*.parquet`)).toEqual(EXPECTED);
  });
});
