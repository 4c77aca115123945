import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportEvents } from "../../src/exporter/index.js";
import { duckdbRows } from "../helpers/duckdb.js";
import { tempDir } from "../helpers/temp-dir.js";

const CORE =
  '"schema_version": "telemetry_event_v1", "channel": "user", "event": "e", "timestamp": "2025-03-01T10:00:00+00:00", "payload": {"a": 1}';
const CANONICAL =
  '"schema_version":"telemetry_event_v1","channel":"user","event":"e","timestamp":"2025-03-01T10:00:00.000Z","payload":{"a":1}';

// docs/schema.md: other top-level fields come after the core ones, in line order; keys that are
// array indices come first, in ascending order (as JavaScript objects keep them).
const LINES: [string, string, string][] = [
  [`{"host": "h", ${CORE}, "pid": 7}`, `{${CANONICAL},"host":"h","pid":7}`, '{"host":"h","pid":7}'],
  [
    `{${CORE}, "host": "h", "42": 1.0, "0": [1e5]}`,
    `{"0":[1e5],"42":1.0,${CANONICAL},"host":"h"}`,
    '{"0":[1e5],"42":1.0,"host":"h"}',
  ],
];

describe("other top-level fields: where the outputs write them", () => {
  it.each([0, 2])(
    "after the core fields in line order, array indices first (%i workers)",
    async (workers) => {
      const dir = tempDir();
      writeFileSync(join(dir, "user.jsonl"), `${LINES.map(([line]) => line).join("\n")}\n`);
      const jsonl = join(tempDir(), "e.jsonl");
      await exportEvents({ inputs: [dir], format: "jsonl", output: jsonl }, { workers });
      expect(readFileSync(jsonl, "utf8")).toBe(`${LINES.map(([, text]) => text).join("\n")}\n`);
      const parquet = join(tempDir(), "e.parquet");
      await exportEvents({ inputs: [dir], format: "parquet", output: parquet }, { workers });
      const rows = await duckdbRows(`SELECT extra::VARCHAR AS x FROM read_parquet('${parquet}')`);
      expect(rows).toEqual(LINES.map(([, , extra]) => ({ x: extra })));
    },
  );
});
