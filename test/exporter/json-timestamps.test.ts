// The JSON export's timestamps are typed as timestamps by its documented consumers: DuckDB's
// read_json_auto (which types a column holding any 9-digit fraction as VARCHAR), pandas, and
// Python's datetime. Rule: at most microseconds, in canonical form; JSON Lines keep every digit.
import { spawnSync } from "node:child_process";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { microsTimestamp } from "../../src/exporter/engine/json-timestamps.js";
import { exportEvents, runEtl } from "../../src/exporter/index.js";
import { duckdbRows } from "../helpers/duckdb.js";
import { eventLine } from "../helpers/event-lines.js";
import { tempDir } from "../helpers/temp-dir.js";

// 1,000 millisecond timestamps, then the odd ones: nanoseconds as the Tracker writes them, and a
// non-canonical line (an offset, fields out of order) that takes the parsed path.
function mixedInput(): { input: string; expected: string[] } {
  const input = tempDir();
  const lines: string[] = [];
  const expected: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const ts = `2025-03-01T10:${String(Math.floor(i / 60) % 60).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}.123Z`;
    lines.push(eventLine({ timestamp: ts, payload: { i } }));
    expected.push(ts);
  }
  const odd: [string, string][] = [
    [eventLine({ timestamp: "2025-03-01T11:00:00.123456789Z" }), "2025-03-01T11:00:00.123456Z"],
    [eventLine({ timestamp: "2025-03-01T11:00:00.123000789Z" }), "2025-03-01T11:00:00.123Z"],
    [eventLine({ timestamp: "2025-03-01T11:00:00.000001Z" }), "2025-03-01T11:00:00.000001Z"],
    [
      '{"channel":"user","schema_version":"telemetry_event_v1","event":"e","timestamp":"2025-03-01T13:00:00.987654321+02:00","payload":{"x":1.50}}',
      "2025-03-01T11:00:00.987654Z",
    ],
  ];
  for (const [line, ts] of odd) {
    lines.push(line);
    expected.push(ts);
  }
  writeFileSync(join(input, "user.jsonl"), `${lines.join("\n")}\n`);
  return { input, expected };
}

const timestampsOf = (path: string) =>
  (JSON.parse(readFileSync(path, "utf8")) as { timestamp: string }[]).map((e) => e.timestamp);

async function duckdbTypes(path: string): Promise<{ types: string[]; values: string[] }> {
  const rows = await duckdbRows(
    `SELECT typeof(timestamp) AS t, strftime(timestamp, '%Y-%m-%dT%H:%M:%S.%fZ') AS v FROM read_json_auto('${path}')`,
  );
  return {
    types: [...new Set(rows.map((r) => String(r.t)))],
    values: rows.map((r) => String(r.v)),
  };
}

// pandas where a Python has it (Debian's python3-pandas lives in /usr/bin/python3); else the
// standard library's datetime.fromisoformat, which every Python 3.11 has.
function pythonWithPandas(): string | undefined {
  for (const python of ["python3", "/usr/bin/python3"]) {
    const probe = spawnSync(python, ["-c", "import pandas"], { encoding: "utf8" });
    if (probe.status === 0) return python;
  }
  return undefined;
}

const micros = (ts: string) => ts.replace(/\.(\d+)Z$/, (_, f: string) => `.${f.padEnd(6, "0")}Z`);

describe("timestamps in the JSON export", () => {
  it("are cut to microseconds, in canonical form", () => {
    expect(microsTimestamp("2025-03-01T10:00:00.123456789Z")).toBe("2025-03-01T10:00:00.123456Z");
    expect(microsTimestamp("2025-03-01T10:00:00.123000789Z")).toBe("2025-03-01T10:00:00.123Z");
    expect(microsTimestamp("2025-03-01T10:00:00.123456Z")).toBe("2025-03-01T10:00:00.123456Z");
    expect(microsTimestamp("2025-03-01T10:00:00.123Z")).toBe("2025-03-01T10:00:00.123Z");
  });

  it("DuckDB's read_json_auto types them as TIMESTAMP with one nanosecond event among milliseconds", async () => {
    const { input, expected } = mixedInput();
    const output = join(tempDir(), "events.json");
    await exportEvents({ inputs: [input], output });
    expect(timestampsOf(output)).toEqual(expected);
    const { types, values } = await duckdbTypes(output);
    expect(types).toEqual(["TIMESTAMP"]);
    expect(values).toEqual(expected.map(micros));
  });

  it("the same holds for the ETL's events file, full and incremental, and with worker threads", async () => {
    const { input, expected } = mixedInput();
    const dir = tempDir();
    await runEtl({ inputs: [input], outputDir: dir, incremental: true });
    appendFileSync(
      join(input, "user.jsonl"),
      `${eventLine({ timestamp: "2025-03-02T00:00:00.000000001Z" })}\n`,
    );
    await runEtl({ inputs: [input], outputDir: dir, incremental: true });
    const events = join(dir, "telemetry_events.json");
    expect(timestampsOf(events)).toEqual([...expected, "2025-03-02T00:00:00.000Z"]);
    expect((await duckdbTypes(events)).types).toEqual(["TIMESTAMP"]);
    const parallel = join(tempDir(), "events.json");
    await exportEvents({ inputs: [input], output: parallel }, { workers: 2, segmentBytes: 4096 });
    expect(readFileSync(parallel, "utf8")).toBe(readFileSync(events, "utf8"));
  });

  it("the JSON Lines export keeps every digit (byte-identical to the Tracker's lines)", async () => {
    const { input } = mixedInput();
    const output = join(tempDir(), "events.jsonl");
    await exportEvents({ inputs: [input], output, format: "jsonl" });
    expect(readFileSync(output, "utf8")).toContain('"timestamp":"2025-03-01T11:00:00.123456789Z"');
    // As documented: DuckDB reads that column as VARCHAR; a cast keeps the nanoseconds.
    const rows = await duckdbRows(
      `SELECT DISTINCT typeof(timestamp) AS raw, typeof(timestamp::TIMESTAMP_NS) AS cast FROM read_json_auto('${output}')`,
    );
    expect(rows).toEqual([{ raw: "VARCHAR", cast: "TIMESTAMP_NS" }]);
  });

  it("pandas reads them as datetimes (else Python's datetime.fromisoformat parses every one)", async () => {
    const { input, expected } = mixedInput();
    const output = join(tempDir(), "events.json");
    await exportEvents({ inputs: [input], output });
    const pandas = pythonWithPandas();
    // CI installs Debian's python3-pandas and asks for it: there the fallback must not hide it.
    if (process.env.TELEMETRY_REQUIRE_PANDAS === "1")
      expect(pandas, "no python3 with pandas").toBeDefined();
    const script =
      pandas === undefined
        ? `import json, sys
from datetime import datetime
events = json.load(open(sys.argv[1], encoding="utf-8"))
print("\\n".join(datetime.fromisoformat(e["timestamp"]).strftime("%Y-%m-%dT%H:%M:%S.%fZ") for e in events))`
        : `import sys, pandas as pd
frame = pd.read_json(sys.argv[1])
assert str(frame["timestamp"].dtype).startswith("datetime64[") and str(frame["timestamp"].dtype).endswith(", UTC]"), frame["timestamp"].dtype
print("\\n".join(t.strftime("%Y-%m-%dT%H:%M:%S.%fZ") for t in frame["timestamp"]))`;
    const run = spawnSync(pandas ?? "python3", ["-c", script, output], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.stdout.trimEnd().split("\n")).toEqual(expected.map(micros));
  });
});
