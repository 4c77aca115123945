import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { aggregateEvents, aggregateReportSchema, runEtl } from "../../src/exporter/index.js";
import { duckdbRows } from "../helpers/duckdb.js";
import { NOW } from "../helpers/event-lines.js";
import { recordSample } from "../helpers/sample-events.js";
import { tempDir } from "../helpers/temp-dir.js";

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

describe("aggregateEvents", () => {
  it("counts per channel, event, UTC day and their pairs, matching the recorded events", async () => {
    const input = tempDir();
    const events = await recordSample(input);
    const { report } = await aggregateEvents({ inputs: [input], now: NOW });
    expect(report.by_channel).toEqual(countBy(events, (e) => e.channel));
    expect(report.by_event).toEqual(countBy(events, (e) => e.event));
    expect(report.by_day).toEqual(countBy(events, (e) => e.timestamp.slice(0, 10)));
    expect(report.by_channel_event.user).toEqual(
      countBy(
        events.filter((e) => e.channel === "user"),
        (e) => e.event,
      ),
    );
    expect(report.schema_versions).toEqual({ telemetry_event_v1: events.length });
    const sorted = events.map((e) => e.timestamp.replace("Z", "").padEnd(29, "0")).sort();
    expect(report.time_range?.first.replace("Z", "").padEnd(29, "0")).toBe(sorted[0]);
    expect(report.time_range?.last.replace("Z", "").padEnd(29, "0")).toBe(sorted.at(-1));
    expect(report.totals).toEqual({
      files: 3,
      lines: events.length,
      valid: events.length,
      invalid: 0,
      blank: 0,
      warnings: 0,
    });
    expect(report.generated_at).toBe("2026-01-02T03:04:05.000Z");
    expect(aggregateReportSchema.safeParse(report).success).toBe(true);
  });

  it("agrees with DuckDB's GROUP BY over the same files", async () => {
    const input = tempDir();
    await recordSample(input, 300);
    const { report } = await aggregateEvents({ inputs: [input] });
    const rows = await duckdbRows(
      `SELECT channel, count(*)::INTEGER AS n FROM read_json('${input}/*.jsonl', format='newline_delimited') GROUP BY channel ORDER BY channel`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.channel, r.n]))).toEqual(report.by_channel);
  });

  it("keeps inventory, missing inputs and anomalies, and lines = valid + invalid + blank per file", async () => {
    const input = tempDir();
    await recordSample(input);
    writeFileSync(
      join(input, "user.jsonl"),
      '\n{bad\n{"schema_version":"telemetry_event_v1","channel":"user","event":"e","timestamp":"2025-03-01T00:00:00","payload":{}}\n',
      { flag: "a" },
    );
    const { report } = await aggregateEvents({ inputs: [input, join(input, "nope")] });
    expect(report.inventory.missing).toEqual([join(input, "nope")]);
    const user = report.inventory.files.find((f) => f.path.endsWith("user.jsonl"));
    expect(user).toMatchObject({ blank: 1, invalid: 1, warnings: 1 });
    for (const f of report.inventory.files)
      expect(f.lines).toBe(f.valid + f.invalid + f.blank + f.filtered);
    expect(report.anomalies.by_code).toEqual({
      invalid_json: 1,
      missing_input: 1,
      timestamp_without_zone: 1,
    });
    expect(report.anomalies.first.map((d) => d.code)).toEqual([
      "missing_input",
      "invalid_json",
      "timestamp_without_zone",
    ]);
    expect(report.totals.warnings).toBe(1);
  });

  it("keeps only the first 20 diagnostics as samples, and counts them all", async () => {
    const input = tempDir();
    writeFileSync(join(input, "x.jsonl"), "{bad\n".repeat(50));
    const { report } = await aggregateEvents({ inputs: [input] });
    expect(report.anomalies.first).toHaveLength(20);
    expect(report.anomalies.by_code.invalid_json).toBe(50);
    expect(report.anomalies.errors).toBe(50);
  });

  it("adds filters and a filtered total when filters apply", async () => {
    const input = tempDir();
    const events = await recordSample(input);
    const { report } = await aggregateEvents({ inputs: [input], filters: { channels: ["user"] } });
    const users = events.filter((e) => e.channel === "user").length;
    expect(report.filters).toEqual({ channels: ["user"] });
    expect(report.totals).toMatchObject({ valid: users, filtered: events.length - users });
    expect(report.by_channel).toEqual({ user: users });
  });

  it("is deterministic: two runs differ only in generated_at, and key order is stable", async () => {
    const input = tempDir();
    await recordSample(input);
    const out = tempDir();
    await aggregateEvents({ inputs: [input], output: join(out, "a.json"), now: () => new Date(0) });
    await aggregateEvents({ inputs: [input], output: join(out, "b.json"), now: () => new Date(1) });
    const a = readFileSync(join(out, "a.json"), "utf8");
    const b = readFileSync(join(out, "b.json"), "utf8");
    expect(a.replace(/"generated_at": "[^"]+"/, "")).toBe(b.replace(/"generated_at": "[^"]+"/, ""));
    expect(Object.keys(JSON.parse(a).by_event)).toEqual(Object.keys(JSON.parse(a).by_event).sort());
  });

  it("writes a report that the committed JSON Schema accepts (ajv)", async () => {
    const input = tempDir();
    await recordSample(input);
    writeFileSync(join(input, "bad.jsonl"), "{bad\n");
    const output = join(tempDir(), "agg.json");
    await aggregateEvents({ inputs: [input, "/missing"], output });
    const schema = JSON.parse(
      readFileSync(
        new URL("../../schema/telemetry_aggregates.schema.json", import.meta.url),
        "utf8",
      ),
    );
    const validate = new Ajv2020({ strict: false }).compile(schema);
    expect(
      validate(JSON.parse(readFileSync(output, "utf8"))),
      JSON.stringify(validate.errors),
    ).toBe(true);
  });
});

describe("runEtl", () => {
  it("writes the JSON export and the aggregate report in one pass", async () => {
    const input = tempDir();
    const events = await recordSample(input);
    const outputDir = join(tempDir(), "analytics");
    const result = await runEtl({ inputs: [input], outputDir, now: NOW });
    expect(result.eventsPath).toBe(join(outputDir, "telemetry_events.json"));
    const exported = JSON.parse(readFileSync(result.eventsPath, "utf8"));
    expect(exported).toHaveLength(events.length);
    const report = JSON.parse(readFileSync(result.aggregatesPath, "utf8"));
    expect(report).toEqual(
      JSON.parse(JSON.stringify((await aggregateEvents({ inputs: [input], now: NOW })).report)),
    );
  });

  it("under --strict, a bad line leaves both previous outputs as they were", async () => {
    const input = tempDir();
    await recordSample(input);
    writeFileSync(join(input, "zzz.jsonl"), "{bad\n");
    const outputDir = tempDir();
    writeFileSync(join(outputDir, "telemetry_events.json"), "old events");
    writeFileSync(join(outputDir, "telemetry_aggregates.json"), "old report");
    await expect(runEtl({ inputs: [input], outputDir, strict: true })).rejects.toMatchObject({
      code: "invalid_records",
    });
    expect(readFileSync(join(outputDir, "telemetry_events.json"), "utf8")).toBe("old events");
    expect(readFileSync(join(outputDir, "telemetry_aggregates.json"), "utf8")).toBe("old report");
    const { readdirSync } = await import("node:fs");
    expect(readdirSync(outputDir).sort()).toEqual([
      "telemetry_aggregates.json",
      "telemetry_events.json",
    ]);
  });
});
