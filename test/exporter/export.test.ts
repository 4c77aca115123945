import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { exportEvents, isTelemetryError } from "../../src/exporter/index.js";
import { TelemetryError } from "../../src/index.js";
import { inReadOrder, recordSample } from "../helpers/sample-events.js";
import { tempDir } from "../helpers/temp-dir.js";

async function setup() {
  const input = tempDir();
  const out = tempDir();
  const events = inReadOrder(await recordSample(input));
  return { input, out, events };
}

describe("exportEvents", () => {
  it("JSON: one array of the canonical events, identical to what the Tracker recorded", async () => {
    const { input, out, events } = await setup();
    const output = join(out, "events.json");
    const result = await exportEvents({ inputs: [input], format: "json", output });
    expect(result.events).toBe(events.length);
    expect(JSON.parse(readFileSync(output, "utf8"))).toEqual(events);
  });

  it("JSONL: one canonical event per line, byte-identical to the Tracker's lines", async () => {
    const { input, out } = await setup();
    const output = join(out, "events.jsonl");
    await exportEvents({ inputs: [input], format: "jsonl", output });
    const expected = readdirSync(input)
      .sort()
      .map((f) => readFileSync(join(input, f), "utf8"))
      .join("");
    expect(readFileSync(output, "utf8")).toBe(expected);
  });

  it("JSON export is read by Python's json module and the design's pandas-style snippet", async () => {
    const { input, out, events } = await setup();
    await exportEvents({
      inputs: [input],
      output: join(out, "reports/analytics/telemetry_events.json"),
    });
    const snippet = `
import json
from pathlib import Path

with Path("reports/analytics/telemetry_events.json").open(encoding="utf-8") as handle:
    events = json.load(handle)

user_events = [event for event in events if event["channel"] == "user"]
print(f"User-facing actions recorded: {len(user_events)}")
assert isinstance(events, list) and all(isinstance(e, dict) for e in events)
print(json.dumps(events, ensure_ascii=False, separators=(",", ":")))
`;
    const stdout = execFileSync("python3", ["-c", snippet], { cwd: out, encoding: "utf8" });
    const [first, second] = stdout.split("\n");
    expect(first).toBe(
      `User-facing actions recorded: ${events.filter((e) => e.channel === "user").length}`,
    );
    expect(JSON.parse(second as string)).toEqual(events);
  });

  it("writes an empty array when nothing is valid", async () => {
    const input = tempDir();
    writeFileSync(join(input, "x.jsonl"), "not json\n");
    const output = join(tempDir(), "e.json");
    await exportEvents({ inputs: [input], output });
    expect(readFileSync(output, "utf8")).toBe("[]\n");
  });

  it("exports every valid record and skips the malformed ones", async () => {
    const { input, out, events } = await setup();
    writeFileSync(
      join(input, "user.jsonl"),
      `{bad\n${readFileSync(join(input, "user.jsonl"), "utf8")}`,
    );
    const output = join(out, "e.json");
    const result = await exportEvents({ inputs: [input], output });
    expect(JSON.parse(readFileSync(output, "utf8"))).toEqual(events);
    expect(result.scan.totals.invalid).toBe(1);
    expect(result.scan.diagnostics.samples[0]).toMatchObject({
      file: join(input, "user.jsonl"),
      line: 1,
      code: "invalid_json",
    });
  });

  it.each([
    [{ channels: ["user"] }, (e: { channel: string }) => e.channel === "user"],
    [{ channels: ["user", "system"] }, (e: { channel: string }) => e.channel !== "simulation"],
    [{ events: ["sim:tick"] }, (e: { event: string }) => e.event === "sim:tick"],
    [
      { since: "2025-03-02", until: "2025-03-03" },
      (e: { timestamp: string }) => e.timestamp.startsWith("2025-03-02"),
    ],
    [
      { since: "2025-03-02T10:00:00.123456+02:00" },
      (e: { timestamp: string }) => e.timestamp >= "2025-03-02T08:00:00.123456Z",
    ],
    [
      { until: "2025-03-02T08:00:00.123456Z" },
      (e: { timestamp: string }) =>
        e.timestamp.replace(/(\.\d{3})Z$/, "$1000Z") < "2025-03-02T08:00:00.123456Z",
    ],
  ])("filters %j", async (filters, keep) => {
    const { input, out, events } = await setup();
    const output = join(out, "f.json");
    const result = await exportEvents({ inputs: [input], output, filters });
    const expected = events.filter(keep as (e: unknown) => boolean);
    expect(expected.length).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(output, "utf8"))).toEqual(expected);
    expect(result.scan.totals.filtered).toBe(events.length - expected.length);
  });

  it("rejects an unreadable --since as a usage error", async () => {
    const { input, out } = await setup();
    await expect(
      exportEvents({ inputs: [input], output: join(out, "x.json"), filters: { since: "soon" } }),
    ).rejects.toMatchObject({ code: "usage" });
    expect(existsSync(join(out, "x.json"))).toBe(false);
  });

  it("--strict stops at the first invalid line: the previous output stays, no temp file is left", async () => {
    const { input, out } = await setup();
    writeFileSync(join(input, "system.jsonl"), "{broken\n", { flag: "a" });
    const output = join(out, "events.json");
    writeFileSync(output, "previous output\n");
    const error = await exportEvents({ inputs: [input], output, strict: true }).catch(
      (e: unknown) => e,
    );
    expect(isTelemetryError(error, "invalid_records")).toBe(true);
    expect((error as TelemetryError).message).toContain(
      `${join(input, "system.jsonl")}:21: invalid_json`,
    );
    expect(readFileSync(output, "utf8")).toBe("previous output\n");
    expect(readdirSync(out)).toEqual(["events.json"]);
  });

  it("--strict fails on a missing input", async () => {
    const output = join(tempDir(), "e.json");
    await expect(
      exportEvents({ inputs: ["/nonexistent/telemetry"], output, strict: true }),
    ).rejects.toMatchObject({
      code: "input_error",
    });
    expect(existsSync(output)).toBe(false);
  });

  it("lists a missing input and still exports the rest", async () => {
    const { input, out, events } = await setup();
    const result = await exportEvents({
      inputs: [input, "/nonexistent/x"],
      output: join(out, "e.json"),
    });
    expect(result.scan.missing).toEqual(["/nonexistent/x"]);
    expect(result.events).toBe(events.length);
    expect(result.scan.diagnostics.byCode.missing_input).toBe(1);
  });

  it("refuses an output that is one of its inputs", async () => {
    const { input } = await setup();
    const target = join(input, "user.jsonl");
    const before = readFileSync(target, "utf8");
    await expect(
      exportEvents({ inputs: [input], format: "jsonl", output: target }),
    ).rejects.toMatchObject({ code: "output_conflict" });
    expect(readFileSync(target, "utf8")).toBe(before);
  });

  it("refuses an output that is an existing directory", async () => {
    const { input, out } = await setup();
    await expect(exportEvents({ inputs: [input], output: out })).rejects.toMatchObject({
      code: "output_conflict",
    });
  });

  it("refuses Parquet to a stream", async () => {
    const { input } = await setup();
    await expect(
      exportEvents({ inputs: [input], format: "parquet", output: new PassThrough() }),
    ).rejects.toMatchObject({ code: "usage" });
  });

  it("writes JSON Lines to a stream", async () => {
    const { input, events } = await setup();
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    await exportEvents({ inputs: [input], format: "jsonl", output: stream });
    const lines = Buffer.concat(chunks).toString("utf8").trimEnd().split("\n");
    expect(lines.map((l) => JSON.parse(l))).toEqual(events);
  });

  it("writes every diagnostic to --diagnostics as JSON Lines", async () => {
    const { input, out } = await setup();
    writeFileSync(join(input, "bad.jsonl"), '{bad\n\n{"schema_version":"x"}\n');
    const diagnostics = join(out, "diag.jsonl");
    await exportEvents({
      inputs: [input],
      output: join(out, "e.json"),
      diagnosticsFile: diagnostics,
    });
    const lines = readFileSync(diagnostics, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toMatchObject([
      { file: join(input, "bad.jsonl"), line: 1, code: "invalid_json", severity: "error" },
      {
        file: join(input, "bad.jsonl"),
        line: 3,
        code: "unsupported_schema_version",
        path: ["schema_version"],
      },
    ]);
  });

  it("creates the output's directory", async () => {
    const { input, out } = await setup();
    const output = join(out, "a", "b", "e.json");
    await exportEvents({ inputs: [input], output });
    expect(existsSync(output)).toBe(true);
  });

  it("rejects an unknown format", async () => {
    await expect(
      exportEvents({ format: "csv" as "json", output: join(tempDir(), "x") }),
    ).rejects.toBeInstanceOf(TelemetryError);
  });
});
