import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { partitionedExportArgs, runCli } from "../helpers/cli.js";
import { duckdbRows } from "../helpers/duckdb.js";
import { tempDir } from "../helpers/temp-dir.js";

// The reader notes of docs/formats.md, run as written against real exports.

function writeLines(lines: readonly string[]): string {
  const input = join(tempDir(), "in");
  mkdirSync(input);
  writeFileSync(join(input, "events.jsonl"), `${lines.join("\n")}\n`);
  return input;
}

const line = (channel: string, payload: string, second = 0) =>
  `{"schema_version":"telemetry_event_v1","channel":"${channel}","event":"e","timestamp":"2025-03-01T10:00:${String(second % 60).padStart(2, "0")}.000Z","payload":${payload}}`;

const JSON_COLUMNS =
  "columns = {schema_version: 'VARCHAR', channel: 'VARCHAR', event: 'VARCHAR', timestamp: 'TIMESTAMPTZ', payload: 'JSON'}";

describe("reading the exports as the docs say", () => {
  it("hive_types keeps channels that look like numbers or dates as text", async () => {
    const output = join(tempDir(), "out");
    const input = writeLines([line("7", "{}"), line("42", "{}")]);
    const run = await runCli(partitionedExportArgs(input, output, "channel,day", "-q"));
    expect(run.code).toBe(0);
    const glob = `${output}/**/*.parquet`;
    // Without named types DuckDB guesses from the values: why the docs name them.
    const guessed = await duckdbRows(
      `SELECT DISTINCT typeof(channel) AS t FROM read_parquet('${glob}', hive_partitioning = true)`,
    );
    expect(guessed).not.toEqual([{ t: "VARCHAR" }]);
    const named = await duckdbRows(
      `SELECT channel, typeof(channel) AS t, typeof(day) AS d
       FROM read_parquet('${glob}', hive_partitioning = true, hive_types = {'channel': VARCHAR, 'day': DATE})
       ORDER BY channel`,
    );
    expect(named).toEqual(["42", "7"].map((channel) => ({ channel, t: "VARCHAR", d: "DATE" })));
  });

  it("payload declared as JSON reads a payload whose shape changes after DuckDB's sample", async () => {
    const lines = Array.from({ length: 20_500 }, (_, i) => line("user", `{"n":${i}}`, i));
    lines.push(line("user", '{"n":"late","k":{"x":1}}'));
    const input = writeLines(lines);
    const file = join(tempDir(), "events.json");
    expect((await runCli(["export", "-i", input, "-f", "json", "-o", file, "-q"])).code).toBe(0);
    await expect(duckdbRows(`SELECT payload FROM read_json_auto('${file}')`)).rejects.toThrow(
      /JSON transform error/,
    );
    const rows = await duckdbRows(
      `SELECT count(*)::INTEGER AS n, count(*) FILTER (payload->>'n' = 'late')::INTEGER AS late,
         any_value(typeof(timestamp)) AS t
       FROM read_json('${file}', format = 'array', ${JSON_COLUMNS})`,
    );
    expect(rows).toEqual([{ n: 20_501, late: 1, t: "TIMESTAMP WITH TIME ZONE" }]);
  });

  it("payload declared as JSON reads keys that differ only in case", async () => {
    const input = writeLines([line("user", '{"A":1,"a":2}')]);
    const file = join(tempDir(), "events.json");
    expect((await runCli(["export", "-i", input, "-f", "json", "-o", file, "-q"])).code).toBe(0);
    await expect(duckdbRows(`SELECT * FROM read_json_auto('${file}')`)).rejects.toThrow(
      /Duplicate name/,
    );
    const rows = await duckdbRows(
      `SELECT payload->>'A' AS upper, payload->>'a' AS lower
       FROM read_json('${file}', format = 'array', ${JSON_COLUMNS})`,
    );
    expect(rows).toEqual([{ upper: "1", lower: "2" }]);
  });

  it("the Parquet payload keeps a number's digits where DuckDB's JSON reader re-prints them", async () => {
    const payload = '{"neg":-0,"e":1E5,"g":0.1000000000000000055511151231257827}';
    const input = writeLines([line("user", payload)]);
    const out = tempDir();
    const json = join(out, "events.json");
    const parquet = join(out, "events.parquet");
    expect((await runCli(["export", "-i", input, "-f", "json", "-o", json, "-q"])).code).toBe(0);
    const toParquet = ["export", "-i", input, "-f", "parquet", "-o", parquet, "-q"];
    expect((await runCli(toParquet)).code).toBe(0);
    const [fromParquet] = await duckdbRows(`SELECT payload::VARCHAR AS p FROM '${parquet}'`);
    expect(fromParquet).toEqual({ p: payload });
    const [fromJson] = await duckdbRows(
      `SELECT payload::VARCHAR AS p FROM read_json('${json}', format = 'array', ${JSON_COLUMNS})`,
    );
    expect(fromJson?.p).not.toBe(payload);
    // Its operators parse the text, and so re-print the number as the JSON reader does.
    const [field] = await duckdbRows(
      `SELECT payload->>'g' AS g, payload->>'neg' AS neg FROM '${parquet}'`,
    );
    expect(field).toEqual({ g: "0.1", neg: "0" });
  });

  it("an extra field first seen after DuckDB's sample is dropped by read_json_auto, kept in Parquet's extra", async () => {
    const lines = Array.from({ length: 20_500 }, (_, i) => line("user", "{}", i));
    lines.push(line("user", "{}").replace(/}$/, ',"host":"web-1"}'));
    const input = writeLines(lines);
    const out = tempDir();
    const jsonl = join(out, "events.jsonl");
    const parquet = join(out, "events.parquet");
    expect((await runCli(["export", "-i", input, "-f", "jsonl", "-o", jsonl, "-q"])).code).toBe(0);
    expect((await runCli(["export", "-i", input, "-f", "parquet", "-o", parquet, "-q"])).code).toBe(
      0,
    );
    const columns = await duckdbRows(`DESCRIBE SELECT * FROM read_json_auto('${jsonl}')`);
    expect(columns.map((c) => c.column_name)).not.toContain("host");
    const named = await duckdbRows(
      `SELECT count(*)::INTEGER AS n FROM read_json_auto('${jsonl}', sample_size = -1) WHERE host = 'web-1'`,
    );
    expect(named).toEqual([{ n: 1 }]);
    const kept = await duckdbRows(
      `SELECT extra->>'host' AS host FROM '${parquet}' WHERE extra IS NOT NULL`,
    );
    expect(kept).toEqual([{ host: "web-1" }]);
  });

  it("a JSONL export is split at \\n only: str.splitlines() cuts an event holding U+2028", async () => {
    const output = join(tempDir(), "events.jsonl");
    const input = writeLines([line("u", '{"s":"a\u2028b\u0085c"}'), line("u", "{}", 1)]);
    const run = await runCli(["export", "-i", input, "-o", output, "-f", "jsonl", "-q"]);
    expect(run.code).toBe(0);
    const script = [
      "import json, sys",
      "text = open(sys.argv[1], encoding='utf-8').read()",
      "by_newline = [json.loads(l) for l in text.split('\\n') if l]",
      "print(len(by_newline), by_newline[0]['payload']['s'] == 'a\\u2028b\\u0085c', len(text.splitlines()))",
    ].join("\n");
    const python = spawnSync("python3", ["-c", script, output], { encoding: "utf8" });
    expect(python.stderr).toBe("");
    expect(python.stdout.trim()).toBe("2 True 4");
  });
});
