import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { parquetReadObjects } from "hyparquet";
import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_LINE_BYTES, DEFAULT_ROW_GROUP_SIZE } from "../../src/exporter/contracts.js";
import { exportEvents } from "../../src/exporter/index.js";
import { EXPORT_STATE_FILE } from "../../src/exporter/state/export-state.js";
import { runKey, stateText } from "../../src/exporter/state/state-file.js";
import { duckdbRows } from "../helpers/duckdb.js";
import { tempDir } from "../helpers/temp-dir.js";

const line = (day: number, extra: Record<string, unknown>) =>
  JSON.stringify({
    schema_version: "telemetry_event_v1",
    channel: "user",
    event: "e",
    timestamp: `2025-03-0${day}T10:00:00.000Z`,
    payload: { day },
    ...extra,
  });

// Later schema revisions add top-level fields; a line without any is what the Tracker writes.
function input(): string {
  const dir = tempDir();
  const lines = [
    line(1, { session_id: "s-1", app: { v: 2 } }),
    line(1, {}),
    line(2, { session_id: "s-2" }),
  ];
  writeFileSync(join(dir, "user.jsonl"), `${lines.join("\n")}\n`);
  return dir;
}

function parquetFiles(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const entry of readdirSync(dir, { recursive: true }) as string[]) {
    if (entry.endsWith(".parquet"))
      out.set(relative(dir, join(dir, entry)), statSync(join(dir, entry)).ino);
  }
  return out;
}

describe("Parquet's extra column", () => {
  it("holds the other top-level fields as a JSON object in their order, null when none (DuckDB, hyparquet)", async () => {
    const output = join(tempDir(), "e.parquet");
    const dir = input();
    // Worker threads hand the column over to the main thread: the same file either way.
    await exportEvents(
      { inputs: [dir], format: "parquet", output },
      { workers: 2, segmentBytes: 128 },
    );
    const parallel = readFileSync(output);
    await exportEvents({ inputs: [dir], format: "parquet", output }, { workers: 0 });
    expect(readFileSync(output).equals(parallel)).toBe(true);
    const rows = await duckdbRows(
      `SELECT extra::VARCHAR AS x, extra->>'session_id' AS session, typeof(extra) AS t FROM read_parquet('${output}')`,
    );
    expect(rows).toEqual([
      { x: '{"session_id":"s-1","app":{"v":2}}', session: "s-1", t: "JSON" },
      { x: null, session: null, t: "JSON" },
      { x: '{"session_id":"s-2"}', session: "s-2", t: "JSON" },
    ]);
    const bytes = readFileSync(output);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const read = (await parquetReadObjects({ file, utf8: true })) as Record<string, unknown>[];
    const asText = (v: unknown) => (v === null || typeof v === "string" ? v : JSON.stringify(v));
    expect(read.map((r) => asText(r.extra))).toEqual([
      '{"session_id":"s-1","app":{"v":2}}',
      null,
      '{"session_id":"s-2"}',
    ]);
  });

  it("is in every part file of a partitioned export", async () => {
    const output = join(tempDir(), "parts");
    await exportEvents({ inputs: [input()], format: "parquet", partitionBy: "day", output });
    const rows = await duckdbRows(
      `SELECT day::VARCHAR AS day, extra->>'session_id' AS session FROM read_parquet('${output}/**/*.parquet', hive_partitioning = true) ORDER BY day, session NULLS FIRST`,
    );
    expect(rows).toEqual([
      { day: "2025-03-01", session: null },
      { day: "2025-03-01", session: "s-1" },
      { day: "2025-03-02", session: "s-2" },
    ]);
  });

  it("an incremental export made before the column existed is rewritten whole, never mixed", async () => {
    const dir = input();
    const output = join(tempDir(), "parts");
    const options = { inputs: [dir], format: "parquet", partitionBy: "day", output } as const;
    await exportEvents({ ...options, incremental: true });
    // The state as a build without the column wrote it: its key lacks the output revision.
    const statePath = join(output, EXPORT_STATE_FILE);
    const [, body] = readFileSync(statePath, "utf8").split("\n");
    const read = { inputs: [dir], filters: undefined, maxLineBytes: DEFAULT_MAX_LINE_BYTES };
    const key = runKey("partitioned-export", read, {
      partitionBy: "day",
      rowGroupSize: DEFAULT_ROW_GROUP_SIZE,
    });
    writeFileSync(statePath, stateText({ ...JSON.parse(body as string), key }));
    const before = parquetFiles(output);
    const again = await exportEvents({ ...options, incremental: true });
    expect(again.incremental).toMatchObject({ mode: "full" });
    expect(again.incremental?.reason).toContain("ignored");
    const after = parquetFiles(output);
    // The same partitions, every part file written by this run (named by it, none carried over).
    const partitions = (files: Map<string, number>) => [...files.keys()].map((f) => dirname(f));
    expect(partitions(after)).toEqual(partitions(before));
    for (const [path, inode] of after) {
      expect(before.has(path)).toBe(false);
      expect([...before.values()]).not.toContain(inode);
    }
    // And an unchanged state continues: the part files are carried over.
    const third = await exportEvents({ ...options, incremental: true });
    expect(third.incremental).toMatchObject({ mode: "incremental" });
    for (const [path, inode] of parquetFiles(output)) expect(inode).toBe(after.get(path));
  });
});
