// docs/schema.md: `{"x": 1e400}` as another top-level field is valid and its text is kept as
// written (only the payload refuses a number no reader can hold). JSON.stringify writes such a
// number (infinity) as null, so the exact texts must list it like any number printed otherwise.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { duckdbRows } from "../helpers/duckdb.js";
import { tempDir } from "../helpers/temp-dir.js";

const CORE =
  '"schema_version":"telemetry_event_v1","channel":"app","event":"e","timestamp":"2025-03-01T10:00:00.000Z","payload":{"a":1}';
const EXTRA = '"x":1e400,"y":[-1E999,2.0],"z":{"w":1e400}';
const LINE = `{${CORE},${EXTRA}}`;

function input(): string {
  const dir = tempDir();
  writeFileSync(join(dir, "events.jsonl"), `${LINE}\n`);
  return join(dir, "events.jsonl");
}

describe("an infinite number in another top-level field", () => {
  it.each(["jsonl", "json"])("keeps its text in the %s export", async (format) => {
    const path = input();
    const output = join(tempDir(), `out.${format}`);
    const run = await runCli(["export", "-i", path, "-f", format, "-o", output, "-q"]);
    expect(run.code).toBe(0);
    const text = readFileSync(output, "utf8");
    expect(text).toContain(`,${EXTRA}}`);
  });

  it("keeps its text in Parquet's extra column", async () => {
    const path = input();
    const output = join(tempDir(), "out.parquet");
    const run = await runCli(["export", "-i", path, "-f", "parquet", "-o", output, "-q"]);
    expect(run.code).toBe(0);
    const rows = await duckdbRows(`SELECT extra::VARCHAR AS x FROM read_parquet('${output}')`);
    expect(rows).toEqual([{ x: `{${EXTRA}}` }]);
  });
});
