import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { describe, expect, it } from "vitest";
import { exportEvents } from "../../src/exporter/index.js";
import { canonicalToEpochMicros } from "../../src/schema/index.js";
import { duckdbRows } from "../helpers/duckdb.js";
import { eventLine } from "../helpers/event-lines.js";
import { inReadOrder, recordSample } from "../helpers/sample-events.js";
import { tempDir } from "../helpers/temp-dir.js";

async function parquetExport(rowGroupSize?: number) {
  const input = tempDir();
  const events = inReadOrder(await recordSample(input, 250));
  const output = join(tempDir(), "events.parquet");
  const result = await exportEvents({
    inputs: [input],
    format: "parquet",
    output,
    ...(rowGroupSize ? { rowGroupSize } : {}),
  });
  return { events, output, result };
}

describe("Parquet export", () => {
  it("has the documented column types, as DuckDB reads them", async () => {
    const { output } = await parquetExport();
    const columns = await duckdbRows(`DESCRIBE SELECT * FROM read_parquet('${output}')`);
    expect(columns.map((c) => [c.column_name, c.column_type])).toEqual([
      ["schema_version", "VARCHAR"],
      ["channel", "VARCHAR"],
      ["event", "VARCHAR"],
      ["timestamp", "TIMESTAMP WITH TIME ZONE"],
      ["payload", "JSON"],
    ]);
  });

  it("holds exactly the recorded events, microseconds and payload JSON included (DuckDB)", async () => {
    const { output, events } = await parquetExport();
    const rows = await duckdbRows(
      `SELECT schema_version, channel, event, epoch_us(timestamp)::VARCHAR AS micros, payload::VARCHAR AS payload FROM read_parquet('${output}')`,
    );
    expect(rows).toEqual(
      events.map((e) => ({
        schema_version: e.schema_version,
        channel: e.channel,
        event: e.event,
        micros: canonicalToEpochMicros(e.timestamp).toString(),
        payload: JSON.stringify(e.payload),
      })),
    );
    expect(rows.some((r) => String(r.micros).endsWith("123456"))).toBe(true);
  });

  it("is read identically by an independent reader (hyparquet)", async () => {
    const { output, events } = await parquetExport();
    const bytes = readFileSync(output);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const rows = (await parquetReadObjects({ file, utf8: true })) as Record<string, unknown>[];
    expect(rows).toHaveLength(events.length);
    rows.forEach((row, i) => {
      const e = events[i];
      if (e === undefined) throw new Error("missing event");
      expect(row.channel).toBe(e.channel);
      expect(row.event).toBe(e.event);
      expect(typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload).toEqual(
        e.payload,
      );
      expect((row.timestamp as Date).toISOString()).toBe(
        new Date(Number(canonicalToEpochMicros(e.timestamp) / 1000n)).toISOString(),
      );
    });
  });

  it("marks timestamps UTC-adjusted microseconds, payload JSON, dictionary-encodes channel and event, and records metadata", async () => {
    const { output, events } = await parquetExport(100);
    const bytes = readFileSync(output);
    const meta = parquetMetadata(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    );
    const byName = Object.fromEntries(meta.schema.map((s) => [s.name, s]));
    expect(byName.timestamp?.logical_type).toEqual({
      type: "TIMESTAMP",
      isAdjustedToUTC: true,
      unit: "MICROS",
    });
    expect(byName.payload?.logical_type).toEqual({ type: "JSON" });
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([100, 100, events.length - 200]);
    for (const group of meta.row_groups) {
      const encodings = Object.fromEntries(
        group.columns.map((c) => [c.meta_data?.path_in_schema.join("."), c.meta_data?.encodings]),
      );
      expect(encodings.channel).toContain("RLE_DICTIONARY");
      expect(encodings.event).toContain("RLE_DICTIONARY");
      expect(group.columns[0]?.meta_data?.codec).toBe("SNAPPY");
    }
    const kv = Object.fromEntries((meta.key_value_metadata ?? []).map((k) => [k.key, k.value]));
    expect(kv["telemetry.schema_version"]).toBe("telemetry_event_v1");
    expect(kv["telemetry.generator"]).toMatch(/^telemetry-pipeline \d+\.\d+\.\d+/);
  });

  it("writes a valid empty file when there are no events", async () => {
    const output = join(tempDir(), "empty.parquet");
    await exportEvents({ inputs: [tempDir()], format: "parquet", output });
    expect(
      await duckdbRows(`SELECT count(*)::INTEGER AS n FROM read_parquet('${output}')`),
    ).toEqual([{ n: 0 }]);
  });

  it("cuts row groups at 16 MiB of payload too, so large events never exhaust the encoder", async () => {
    const input = tempDir();
    const big = "x".repeat(100_000);
    const lines = Array.from({ length: 400 }, (_, i) =>
      eventLine({ event: "big", payload: { i, big } }),
    );
    writeFileSync(join(input, "user.jsonl"), `${lines.join("\n")}\n`);
    for (const partitionBy of [undefined, "channel"] as const) {
      const output = join(tempDir(), partitionBy === undefined ? "e.parquet" : "events");
      const result = await exportEvents({
        inputs: [input],
        format: "parquet",
        output,
        ...(partitionBy === undefined ? {} : { partitionBy }),
      });
      expect(result.events).toBe(400);
      const files =
        partitionBy === undefined
          ? [output]
          : readdirSync(join(output, "channel=user")).map((f) => join(output, "channel=user", f));
      let rows = 0;
      let groups = 0;
      for (const file of files) {
        const bytes = readFileSync(file);
        const meta = parquetMetadata(
          bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
        );
        for (const group of meta.row_groups) {
          // 100 KB events: at most 167 of them fit in 16 MiB.
          expect(Number(group.num_rows)).toBeLessThanOrEqual(167);
          rows += Number(group.num_rows);
          groups++;
        }
      }
      expect(rows).toBe(400);
      expect(groups).toBeGreaterThanOrEqual(3);
    }
  }, 60_000);

  it("keeps non-ASCII event names and payloads byte for byte (canonical lines are copied as bytes)", async () => {
    const input = tempDir();
    const names = ["café ☕", "名前", "emoji 😀 pair", "plain"];
    const lines = names.map((event, i) =>
      eventLine({
        event,
        timestamp: `2025-03-0${i + 1}T10:00:00.000Z`,
        payload: { text: `ü ${event} 😀`, n: i, nested: { k: ["é", i] } },
      }),
    );
    writeFileSync(join(input, "user.jsonl"), `${lines.join("\n")}\n`);
    const output = join(tempDir(), "e.parquet");
    await exportEvents({ inputs: [input], format: "parquet", output });
    const rows = await duckdbRows(
      `SELECT event, payload::VARCHAR AS payload FROM read_parquet('${output}') ORDER BY timestamp`,
    );
    expect(rows).toEqual(
      lines.map((l) => {
        const e = JSON.parse(l);
        return { event: e.event, payload: JSON.stringify(e.payload) };
      }),
    );
    const json = join(tempDir(), "e.json");
    await exportEvents({ inputs: [input], format: "json", output: json });
    expect(readFileSync(json, "utf8")).toBe(`[\n${lines.join(",\n")}\n]\n`);
  });
});
