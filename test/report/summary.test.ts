import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  aggregateEvents,
  formatReportSummary,
  loadReport,
  writeHtmlReport,
} from "../../src/exporter/index.js";
import { displayWidth } from "../../src/exporter/report/present/text-cells.js";
import { runCli } from "../helpers/cli.js";
import { NOW } from "../helpers/event-lines.js";
import { HOSTILE_NAMES, hostileReport } from "../helpers/hostile-report.js";
import { runBin } from "../helpers/run-bin.js";
import { recordSample } from "../helpers/sample-events.js";
import { tempDir } from "../helpers/temp-dir.js";

const ESC = "\u001b";

function rows(text: string): string[] {
  return text.trimEnd().split("\n");
}

describe("formatReportSummary", () => {
  it("shows totals, the time range, channels with shares and a per-day sparkline, top events", async () => {
    const input = tempDir();
    const events = await recordSample(input);
    const { report } = await aggregateEvents({ inputs: [input], now: NOW });
    const text = formatReportSummary(report);
    const lines = rows(text);
    expect(lines[0]).toBe(
      `Telemetry: ${events.length} events in 3 channels (6 event names) from 3 files`,
    );
    expect(lines[1]).toBe(`Time range: ${report.time_range?.first} → ${report.time_range?.last}`);
    for (const [channel, count] of Object.entries(report.by_channel)) {
      const row = lines.find((l) => l.startsWith(`${channel} `));
      expect(row, channel).toBeDefined();
      const share = ((100 * count) / events.length).toFixed(1);
      expect(row).toMatch(new RegExp(`^${channel} +${count} +${share}% +[▁▂▃▄▅▆▇█ ]+$`));
    }
    // The busiest (channel, event) pair comes first under TOP EVENTS.
    const top = lines[lines.findIndex((l) => l.startsWith("TOP EVENTS")) + 1] as string;
    const best = Object.entries(report.by_channel_event)
      .flatMap(([c, evs]) => Object.entries(evs).map(([e, n]) => ({ c, e, n })))
      .sort((a, b) => b.n - a.n || (a.c < b.c ? -1 : 1) || (a.e < b.e ? -1 : 1))[0];
    expect(top).toMatch(new RegExp(`^${best?.c} +${best?.e} +${best?.n} `));
    expect(text).toContain("ANOMALIES none");
  });

  it("draws each channel's days to scale: the busiest day is a full block, an empty day a space", () => {
    const report = {
      ...emptyReport(),
      totals: { ...emptyReport().totals, valid: 12 },
      by_channel: { a: 12 },
      by_day: { "2025-01-01": 8, "2025-01-03": 4 },
      by_channel_day: { a: { "2025-01-01": 8, "2025-01-03": 4 } },
      by_channel_event: { a: { x: 12 } },
      by_event: { x: 12 },
    };
    const row = rows(formatReportSummary(report)).find((l) => l.startsWith("a "));
    expect(row?.endsWith("█ ▄")).toBe(true);
  });

  it("lists anomalies by code with their first file:line locations", async () => {
    const input = tempDir();
    const lines = Array.from({ length: 5 }, (_, i) => `{bad ${i}`);
    writeFileSync(join(input, "user.jsonl"), `${lines.join("\n")}\n`);
    const { report } = await aggregateEvents({ inputs: [input], now: NOW });
    const text = formatReportSummary(report);
    const file = join(input, "user.jsonl");
    const at = rows(text).findIndex((l) => l.startsWith("invalid_json"));
    expect(rows(text)[at]).toMatch(/^invalid_json +5 {2}/);
    expect(rows(text)[at]?.endsWith(`${file}:1`.slice(-40))).toBe(true);
    expect(rows(text)[at + 1]?.trim().endsWith(":2")).toBe(true);
    expect(rows(text)[at + 2]?.trim().endsWith(":3")).toBe(true);
    expect(rows(text)[at + 3]?.trim()).toBe("… 2 more");
  });

  it("keeps the first three of every code, even past the report's first 20 diagnostics", async () => {
    const input = tempDir();
    const lines = [...Array.from({ length: 30 }, () => "{bad"), '{"schema_version":"v9"}'];
    writeFileSync(join(input, "user.jsonl"), `${lines.join("\n")}\n`);
    const { report } = await aggregateEvents({ inputs: [input], now: NOW });
    expect(report.anomalies.first.some((d) => d.code !== "invalid_json")).toBe(false);
    expect(report.anomalies.examples.invalid_json?.map((d) => d.line)).toEqual([1, 2, 3]);
    const other = Object.keys(report.anomalies.examples).find((c) => c !== "invalid_json");
    expect(other).toBeDefined();
    expect(report.anomalies.examples[other as string]?.[0]?.line).toBe(31);
    expect(formatReportSummary(report)).toMatch(new RegExp(`${other} +1 +.*user\\.jsonl:31`));
  });

  it("fits 80 columns and reveals control and bidi characters from hostile input", async () => {
    const report = await hostileReport(tempDir());
    const text = formatReportSummary(report);
    for (const line of rows(text)) expect(displayWidth(line), line).toBeLessThanOrEqual(80);
    expect(text).not.toContain(ESC);
    expect(text).not.toContain("\u0007");
    expect(text).not.toContain("\u202e");
    expect(text).toContain("\\u{202e}evil");
    expect(text).toContain("<script>alert(1)</script>");
    expect(text).toContain(HOSTILE_NAMES[3].slice(0, 10));
  });

  it("fits the width it is given, on a report with many channels and days", () => {
    const byChannelDay: Record<string, Record<string, number>> = {};
    const byDay: Record<string, number> = {};
    for (let c = 0; c < 30; c++) {
      const days: Record<string, number> = {};
      for (let d = 0; d < 400; d += 7) {
        const day = new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10);
        days[day] = c + d;
        byDay[day] = (byDay[day] ?? 0) + c + d;
      }
      byChannelDay[`channel-with-a-long-name-${c}`] = days;
    }
    const byChannel = Object.fromEntries(
      Object.entries(byChannelDay).map(([c, days]) => [
        c,
        Object.values(days).reduce((a, b) => a + b, 0),
      ]),
    );
    const total = Object.values(byChannel).reduce((a, b) => a + b, 0);
    const report = {
      ...emptyReport(),
      totals: { ...emptyReport().totals, valid: total },
      by_channel: byChannel,
      by_day: byDay,
      by_channel_day: byChannelDay,
      by_event: { e: total },
      by_channel_event: Object.fromEntries(
        Object.entries(byChannel).map(([c, n]) => [c, { e: n }]),
      ),
    };
    for (const width of [60, 80, 120]) {
      const text = formatReportSummary(report, { width });
      for (const line of rows(text)) expect(displayWidth(line)).toBeLessThanOrEqual(width);
      expect(text).toContain("20 others");
      expect(text).toMatch(/PER \d+ DAYS/);
    }
  });

  it("says so when there are no events, and names missing inputs", async () => {
    const { report } = await aggregateEvents({
      inputs: [tempDir(), join(tempDir(), "nope")],
      now: NOW,
    });
    const text = formatReportSummary(report);
    expect(text).toContain("Time range: no valid events");
    expect(text).toContain("Missing inputs: ");
    // The missing input is a warning: counted, as on stderr (no line warned).
    expect(text).toContain("Lines: 0 read, 0 valid, 0 invalid, 0 blank, 1 warning");
    expect(text).not.toContain("CHANNEL");
  });
});

describe("telemetry-exporter summary", () => {
  it("prints the table on stdout; --from gives the same table without reading inputs", async () => {
    const input = tempDir();
    await recordSample(input);
    const direct = await runCli(["summary", "-i", input]);
    expect(direct.code).toBe(0);
    expect(direct.stdout).toContain("CHANNEL");
    expect(direct.stderr).toBe("");
    const out = join(tempDir(), "agg.json");
    expect((await runCli(["aggregate", "-i", input, "-o", out, "-q"])).code).toBe(0);
    const saved = await runCli(["summary", "--from", out]);
    expect(saved.code).toBe(0);
    expect(saved.stdout).toBe(direct.stdout);
  });

  it("applies filters", async () => {
    const input = tempDir();
    await recordSample(input);
    const run = await runCli(["summary", "-i", input, "--channel", "system"]);
    expect(run.stdout).toMatch(/in 1 channel /);
    expect(run.stdout).not.toMatch(/^user /m);
  });

  it("colours only a TTY stdout, never with NO_COLOR", async () => {
    const input = tempDir();
    await recordSample(input);
    const tty = await runCli(["summary", "-i", input], { stdoutTty: true });
    expect(tty.stdout).toContain(`${ESC}[1m`);
    const noColor = await runCli(["summary", "-i", input], {
      stdoutTty: true,
      env: { NO_COLOR: "1" },
    });
    expect(noColor.stdout).not.toContain(ESC);
    expect((await runCli(["summary", "-i", input])).stdout).not.toContain(ESC);
  });

  it("uses the terminal's width, between 60 and 120 columns; 80 when stdout is not a terminal", async () => {
    const input = tempDir();
    await recordSample(input);
    const widest = async (tty: boolean, columns: number) => {
      const run = await runCli(["summary", "-i", input], {
        stdoutTty: tty,
        stdoutColumns: columns,
        env: { NO_COLOR: "1" },
      });
      return Math.max(...rows(run.stdout).map(displayWidth));
    };
    expect(await widest(true, 100)).toBe(100);
    expect(await widest(true, 200)).toBe(120);
    expect(await widest(true, 40)).toBe(60);
    expect(await widest(false, 100)).toBe(80);
  });

  it("--from with --input is a usage error (exit 2); a bad --from exits 1 naming the problem", async () => {
    const dir = tempDir();
    const both = await runCli(["summary", "--from", "x.json", "--input", dir]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("mutually exclusive");
    const missing = await runCli(["summary", "--from", join(dir, "none.json")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      `error: cannot read report ${join(dir, "none.json")} (ENOENT): no such file; an aggregate or etl run writes one\n`,
    );
    writeFileSync(join(dir, "bad.json"), "{");
    const notJson = await runCli(["summary", "--from", join(dir, "bad.json")]);
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toContain("is not JSON");
    writeFileSync(join(dir, "other.json"), JSON.stringify({ report_version: 1, totals: {} }));
    const wrong = await runCli(["summary", "--from", join(dir, "other.json")]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/is not an aggregate report .* at /);
  });

  it("an empty --from is a usage error (exit 2), as an empty --input or --output is; nothing written", async () => {
    const out = join(tempDir(), "r.html");
    for (const args of [
      ["summary", "--from", ""],
      ["report", "--from", "", "-o", out],
    ]) {
      const run = await runBin(args);
      expect({ args, code: run.code, stderr: run.stderr }).toEqual({
        args,
        code: 2,
        stderr: "error: --from cannot be an empty path\n",
      });
    }
    expect(existsSync(out)).toBe(false);
    for (const api of [loadReport({ from: "" }), writeHtmlReport({ from: "", output: out })]) {
      await expect(api).rejects.toMatchObject({ code: "usage", path: ["from"] });
    }
  });

  it("an empty --title is a usage error (exit 2); nothing written", async () => {
    const out = join(tempDir(), "r.html");
    for (const title of ["", "  "]) {
      const run = await runBin(["report", "-i", tempDir(), "-o", out, "--title", title]);
      expect({ code: run.code, stderr: run.stderr }).toEqual({
        code: 2,
        stderr: "error: --title cannot be empty\n",
      });
    }
    expect(existsSync(out)).toBe(false);
    await expect(writeHtmlReport({ title: "", output: out })).rejects.toMatchObject({
      code: "usage",
      path: ["title"],
    });
  });

  it("etl prints the table on stdout unless --quiet", async () => {
    const input = tempDir();
    await recordSample(input);
    const dir = tempDir();
    const run = await runCli(["etl", "-i", input, "--output-dir", dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("TOP EVENTS");
    expect(run.stdout).toContain(`wrote the HTML report to ${join(dir, "telemetry_report.html")}`);
    const quiet = await runCli(["etl", "-i", input, "--output-dir", dir, "-q"]);
    expect(quiet.stdout).not.toContain("TOP EVENTS");
    expect(quiet.stdout).toContain("wrote the HTML report");
  });
});

function emptyReport() {
  return {
    report_version: 1 as const,
    generated_at: "2026-01-02T03:04:05.000Z",
    generator: { name: "telemetry-pipeline", version: "0.0.0" },
    inputs: ["in"],
    totals: { files: 1, lines: 0, valid: 0, invalid: 0, blank: 0, warnings: 0 },
    by_channel: {},
    by_event: {},
    by_day: {},
    by_channel_event: {},
    by_channel_day: {},
    time_range: null,
    schema_versions: {},
    inventory: { files: [], missing: [] },
    anomalies: { by_code: {}, errors: 0, warnings: 0, first: [], examples: {} },
  };
}
