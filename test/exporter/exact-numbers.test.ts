import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inexactNumbers } from "../../src/exporter/engine/exact-numbers.js";
import {
  aggregateEvents,
  DEFAULT_MAX_LINE_BYTES,
  exportEvents,
  runEtl,
} from "../../src/exporter/index.js";
import { REPORT_VERSION } from "../../src/exporter/model/report-version.js";
import { STATE_FILE } from "../../src/exporter/state/etl-state.js";
import { runKey, stateText } from "../../src/exporter/state/state-file.js";
import { runCli } from "../helpers/cli.js";
import { duckdbRows } from "../helpers/duckdb.js";
import { tempDir } from "../helpers/temp-dir.js";

const HEAD = '{"schema_version":"telemetry_event_v1","channel":"user","event":"order"';
// Compact lines whose numbers JSON.stringify would write otherwise: the exports must hold them
// byte for byte. The second holds a string with the text a marker would have.
const EXACT_LINES = [
  `${HEAD},"timestamp":"2025-03-01T10:00:00.000Z","payload":{"order_id":1234567890123456789,"a":1.0,"b":1E5,"c":-0,"d":0.1000000000000000055511151231257827,"e":5,"s":"x:1.0,","n":[1.50,2e-7,{"m":-1.25e+3}]},"session_id":"s-1","big":12345678901234567890}`,
  `${HEAD},"timestamp":"2025-03-01T10:00:01.000Z","payload":{"exact0n":"exact0n0","\\"":1.0,"id":9007199254740993}}`,
];
// What a Python producer writes (spaces after ':' and ','), and what the exports hold for it.
const PYTHON_LINE = `{"schema_version": "telemetry_event_v1", "channel": "user", "event": "order", "timestamp": "2025-03-01T10:00:02.000Z", "payload": {"order_id": 1234567890123456789, "price": 10.10}}`;
const PYTHON_EXPECTED = `${HEAD},"timestamp":"2025-03-01T10:00:02.000Z","payload":{"order_id":1234567890123456789,"price":10.10}}`;
const EXPECTED = [...EXACT_LINES, PYTHON_EXPECTED];

function input(): string {
  const dir = tempDir();
  writeFileSync(join(dir, "user.jsonl"), `${[...EXACT_LINES, PYTHON_LINE].join("\n")}\n`);
  return dir;
}

function python(script: string, ...args: string[]): string {
  const run = spawnSync("python3", ["-c", script, ...args], { encoding: "utf8" });
  expect(run.stderr).toBe("");
  return run.stdout.trim();
}

describe("numbers keep their digits in every output", () => {
  it("JSONL and JSON hold each line's numbers as written (one thread and workers alike)", async () => {
    const dir = input();
    const out = tempDir();
    for (const tuning of [{ workers: 0 }, { workers: 2, segmentBytes: 256 }]) {
      await exportEvents({ inputs: [dir], format: "jsonl", output: join(out, "e.jsonl") }, tuning);
      await exportEvents({ inputs: [dir], format: "json", output: join(out, "e.json") }, tuning);
      expect(readFileSync(join(out, "e.jsonl"), "utf8")).toBe(`${EXPECTED.join("\n")}\n`);
      expect(readFileSync(join(out, "e.json"), "utf8")).toBe(`[\n${EXPECTED.join(",\n")}\n]\n`);
    }
    // Python's json module keeps big integers exact: what it reads is what the producer wrote.
    const read = python(
      "import json,sys\nevents=json.load(open(sys.argv[1]))\nprint(events[0]['payload']['order_id'], events[0]['big'], events[1]['payload']['id'], events[2]['payload']['order_id'])",
      join(out, "e.json"),
    );
    expect(read).toBe(
      "1234567890123456789 12345678901234567890 9007199254740993 1234567890123456789",
    );
    const lines = python(
      "import json,sys\nfor line in open(sys.argv[1]): print(json.loads(line)['payload']['order_id'] if 'order_id' in json.loads(line)['payload'] else '-')",
      join(out, "e.jsonl"),
    );
    expect(lines.split("\n")).toEqual(["1234567890123456789", "-", "1234567890123456789"]);
    // DuckDB reads the JSON Lines' payloads as the same text, and the big integer exactly.
    const rows = await duckdbRows(
      `SELECT payload::VARCHAR AS p, (payload->>'order_id') AS id FROM read_json('${join(out, "e.jsonl")}', format = 'newline_delimited', columns = {payload: 'JSON'})`,
    );
    expect(rows.map((r) => r.id)).toEqual(["1234567890123456789", null, "1234567890123456789"]);
    expect(rows[1]?.p).toBe('{"exact0n":"exact0n0","\\"":1.0,"id":9007199254740993}');
  });

  it("Parquet's payload and extra columns hold the same digits (DuckDB)", async () => {
    const dir = input();
    const output = join(tempDir(), "e.parquet");
    await exportEvents({ inputs: [dir], format: "parquet", output });
    const rows = await duckdbRows(
      `SELECT payload::VARCHAR AS p, extra::VARCHAR AS x, payload->>'order_id' AS id FROM read_parquet('${output}')`,
    );
    expect(rows.map((r) => r.p)).toEqual(
      EXPECTED.map((line) =>
        line.slice(line.indexOf('"payload":') + 10).replace(/(\}),"session_id".*$|\}$/, "$1"),
      ),
    );
    expect(rows[0]?.x).toBe('{"session_id":"s-1","big":12345678901234567890}');
    expect(rows[0]?.id).toBe("1234567890123456789");
    const parsed = python(
      "import json,sys\nprint(json.loads(sys.argv[1])['order_id'])",
      String(rows[0]?.p),
    );
    expect(parsed).toBe("1234567890123456789");
  });

  it("validate finds them valid, aggregate counts them, and the ETL's events file keeps them", async () => {
    const dir = input();
    const run = await runCli(["validate", "-q", "-i", dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("all 3 records are valid");
    const { report } = await aggregateEvents({ inputs: [dir] });
    expect(report.totals.valid).toBe(3);
    const outputDir = tempDir();
    await runEtl({ inputs: [dir], outputDir });
    expect(readFileSync(join(outputDir, "telemetry_events.json"), "utf8")).toBe(
      `[\n${EXPECTED.join(",\n")}\n]\n`,
    );
  });

  it("an incremental ETL whose events file came from a build that rounded numbers starts over", async () => {
    const dir = input();
    const outputDir = tempDir();
    await runEtl({ inputs: [dir], outputDir, incremental: true });
    // The state as such a build wrote it: its key lacks the output revision.
    const statePath = join(outputDir, STATE_FILE);
    const [, body] = readFileSync(statePath, "utf8").split("\n");
    const read = { inputs: [dir], filters: undefined, maxLineBytes: DEFAULT_MAX_LINE_BYTES };
    const key = runKey("etl", read, { report: REPORT_VERSION });
    writeFileSync(statePath, stateText({ ...JSON.parse(body as string), key }));
    const again = await runEtl({ inputs: [dir], outputDir, incremental: true });
    expect(again.incremental).toMatchObject({ mode: "full" });
    const third = await runEtl({ inputs: [dir], outputDir, incremental: true });
    expect(third.incremental).toMatchObject({ mode: "incremental" });
  });

  it("still refuses a number that overflows to infinity (1e400)", async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "user.jsonl"),
      `${HEAD},"timestamp":"2025-03-01T10:00:00.000Z","payload":{"n":1e400}}\n`,
    );
    const run = await runCli(["validate", "-i", dir]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      "schema_violation: payload.n: number beyond a double's range (JSON parsers read it as infinity)",
    );
  });

  it("finds every number JSON.stringify would write otherwise, whatever its spelling", () => {
    const digits = (min: number, max: number) =>
      fc
        .array(fc.constantFrom(..."0123456789"), { minLength: min, maxLength: max })
        .map((d) => d.join(""));
    const literal = fc
      .tuple(
        fc.constantFrom("", "-"),
        fc.oneof(
          fc.constant("0"),
          fc.tuple(fc.constantFrom(..."123456789"), digits(0, 24)).map(([a, b]) => a + b),
        ),
        // Leading zeros reach the sizes JS prints with an exponent (below 1e-6).
        fc.option(
          fc
            .tuple(fc.constantFrom("", "0", "00000", "000000", "0000000"), digits(1, 20))
            .map(([zeros, d]) => `.${zeros}${d}`),
          { nil: "" },
        ),
        fc.option(
          fc
            .tuple(fc.constantFrom("e", "E"), fc.constantFrom("", "+", "-"), digits(1, 3))
            .map((p) => p.join("")),
          { nil: "" },
        ),
      )
      .map((parts) => parts.join(""));
    const space = fc.constantFrom("", " ", "\n\t ");
    fc.assert(
      fc.property(
        fc.array(fc.tuple(literal, space, space), { minLength: 1, maxLength: 6 }),
        fc.string({ maxLength: 8 }),
        (items, text) => {
          const body = items
            .map(([lit, before, after], k) => `"k${k}":${before}${lit}${after}`)
            .join(",");
          const json = `{"s":${JSON.stringify(text)},${body},"a":[${items.map(([lit]) => lit).join(",")}]}`;
          const inexact = items.map(([lit]) => lit).filter((lit) => String(Number(lit)) !== lit);
          const spans = inexactNumbers(json) ?? [];
          expect(spans.map(([s, e]) => json.slice(s, e))).toEqual([...inexact, ...inexact]);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
