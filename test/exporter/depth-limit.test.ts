import { spawnSync } from "node:child_process";
import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parquetReadObjects } from "hyparquet";
import { describe, expect, it } from "vitest";
import { isTelemetryError, Tracker } from "../../src/index.js";
import { MAX_PAYLOAD_DEPTH } from "../../src/schema/index.js";
import { runCli } from "../helpers/cli.js";
import { duckdbRows } from "../helpers/duckdb.js";
import { tempDir } from "../helpers/temp-dir.js";

// A payload nested `levels` deep (the payload object is level 1): objects and arrays in turn.
function nested(levels: number): Record<string, unknown> {
  let inner: unknown = "bottom";
  for (let level = levels; level > 1; level--) inner = level % 2 === 0 ? [inner] : { k: inner };
  return { deep: inner };
}

function python(script: string, ...args: string[]) {
  return spawnSync("python3", ["-c", script, ...args], { encoding: "utf8" });
}

// json.load of the whole export, called from 500 frames deep: the limit leaves that much room.
const LOAD_DEEP_IN_STACK = `
import json, sys
def at_depth(n):
    if n == 0:
        with open(sys.argv[1], encoding="utf-8") as handle:
            return json.load(handle)
    return at_depth(n - 1)
events = at_depth(500)
payload = events[0]["payload"]["deep"]
levels = 1
while not isinstance(payload, str):
    payload = payload[0] if isinstance(payload, list) else payload["k"]
    levels += 1
print(len(events), levels, payload)
`;

describe("payload depth: the Tracker's and the exporter's limit, which every documented reader reads", () => {
  it("is one constant, 256, and the Tracker's default", async () => {
    expect(MAX_PAYLOAD_DEPTH).toBe(256);
    const directory = tempDir();
    const tracker = new Tracker({ directory });
    tracker.record("user", "deep", nested(MAX_PAYLOAD_DEPTH));
    let refused: unknown;
    try {
      tracker.record("user", "deeper", nested(MAX_PAYLOAD_DEPTH + 1));
    } catch (error) {
      refused = error;
    }
    await tracker.close();
    expect(isTelemetryError(refused, "invalid_payload")).toBe(true);
    expect((refused as Error).message).toContain("nested deeper than 256 levels");
  });

  it("at the limit: Python's json.load, DuckDB and hyparquet read every output", async () => {
    const directory = tempDir();
    const tracker = new Tracker({ directory });
    tracker.record("user", "deep", nested(MAX_PAYLOAD_DEPTH));
    await tracker.close();
    const out = tempDir();
    const json = join(out, "events.json");
    const jsonl = join(out, "events.jsonl");
    const parquet = join(out, "events.parquet");
    for (const [format, output] of [
      ["json", json],
      ["jsonl", jsonl],
      ["parquet", parquet],
    ] as const) {
      const run = await runCli(["export", "-q", "-i", directory, "-f", format, "-o", output]);
      expect(run.code).toBe(0);
    }
    const loaded = python(LOAD_DEEP_IN_STACK, json);
    expect(loaded.stderr).toBe("");
    expect(loaded.stdout.trim()).toBe(`1 ${MAX_PAYLOAD_DEPTH} bottom`);
    const lines = python(
      "import json,sys\nfor line in open(sys.argv[1], encoding='utf-8'): json.loads(line)\nprint('ok')",
      jsonl,
    );
    expect(lines.stdout.trim()).toBe("ok");

    const expected = JSON.stringify(nested(MAX_PAYLOAD_DEPTH));
    const fromJson = await duckdbRows(
      `SELECT to_json(payload)::VARCHAR AS p FROM read_json('${json}')`,
    );
    expect(JSON.parse(String(fromJson[0]?.p))).toEqual(nested(MAX_PAYLOAD_DEPTH));
    const fromJsonl = await duckdbRows(
      `SELECT payload::VARCHAR AS p FROM read_json('${jsonl}', format = 'newline_delimited', columns = {payload: 'JSON'})`,
    );
    expect(fromJsonl[0]?.p).toBe(expected);
    const fromParquet = await duckdbRows(
      `SELECT json_extract_string(payload, '$.deep${"[0].k".repeat(127)}[0]') AS v FROM read_parquet('${parquet}')`,
    );
    expect(fromParquet[0]?.v).toBe("bottom");
    const bytes = readFileSync(parquet);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const rows = (await parquetReadObjects({ file, utf8: true })) as Record<string, unknown>[];
    const payload = rows[0]?.payload;
    expect(typeof payload === "string" ? payload : JSON.stringify(payload)).toBe(expected);
  });

  // Two lines, the first at the limit and the second one level over it, in `field` (the payload
  // or an extra field): the diagnostics `validate` writes for them.
  async function diagnosticsOfDeep(field: "payload" | "trace"): Promise<unknown[]> {
    const directory = tempDir();
    const line = (levels: number) =>
      `${JSON.stringify({
        schema_version: "telemetry_event_v1",
        channel: "user",
        event: "deep",
        timestamp: "2025-03-01T00:00:00.000Z",
        payload: field === "payload" ? nested(levels) : { flat: 1 },
        ...(field === "trace" ? { trace: nested(levels) } : {}),
      })}\n`;
    appendFileSync(join(directory, "user.jsonl"), line(MAX_PAYLOAD_DEPTH));
    appendFileSync(join(directory, "user.jsonl"), line(MAX_PAYLOAD_DEPTH + 1));
    const diagnostics = join(tempDir(), "d.jsonl");
    const run = await runCli(["validate", "-i", directory, "--diagnostics", diagnostics]);
    expect(run.code).toBe(3);
    return readFileSync(diagnostics, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
  }

  it.each([
    ["payload", "one level more is refused by the exporter with a clear diagnostic"],
    ["trace", "an extra field nested too deep is named as the field it is, not as the payload"],
  ] as const)("%s: %s", async (field, _what) => {
    const found = await diagnosticsOfDeep(field);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      line: 2,
      code: "schema_violation",
      path: [field],
      message: `${field} is nested deeper than 256 levels`,
    });
  });
});
