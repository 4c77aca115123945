// A few events far from the rest must not flatten the charts: the dense range is drawn and the
// outliers are named beside it (HTML) or under it (terminal).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import {
  aggregateEvents,
  formatReportSummary,
  renderReportHtml,
} from "../../src/exporter/index.js";
import { denseRange } from "../../src/exporter/report/present/dense-range.js";
import { eventLine, NOW } from "../helpers/event-lines.js";
import { tempDir } from "../helpers/temp-dir.js";

async function reportOf(timestamps: readonly string[]) {
  const input = tempDir();
  const lines = timestamps.map((timestamp) => eventLine({ timestamp }));
  writeFileSync(join(input, "user.jsonl"), `${lines.join("\n")}\n`);
  return (await aggregateEvents({ inputs: [input], now: NOW })).report;
}

function march(perDay: number): string[] {
  const out: string[] = [];
  for (let d = 1; d <= 8; d++) {
    for (let i = 0; i < perDay; i++) out.push(`2025-03-0${d}T10:00:00.000Z`);
  }
  return out;
}

const days = (pairs: [number, number][]) => pairs.map(([day, total]) => ({ day, total }));

describe("denseRange", () => {
  it("keeps every day when the range fits the bins", () => {
    expect(
      denseRange(
        days([
          [0, 5],
          [100, 1],
        ]),
        120,
      ),
    ).toEqual({ first: 0, last: 100, outliers: [] });
  });

  it("drops a far, small end day on either side (largest gap), several if need be", () => {
    const dense = Array.from({ length: 8 }, (_, i): [number, number] => [1000 + i, 50]);
    expect(denseRange(days([[10, 1], ...dense, [1640, 1], [1700, 1]]), 120)).toEqual({
      first: 1000,
      last: 1007,
      outliers: days([
        [10, 1],
        [1640, 1],
        [1700, 1],
      ]),
    });
  });

  it("keeps a long range without a dominating gap, and far days holding more than 1% of events", () => {
    const year = Array.from({ length: 365 }, (_, i): [number, number] => [i, 1]);
    expect(denseRange(days(year), 100).outliers).toEqual([]);
    const dense = Array.from({ length: 8 }, (_, i): [number, number] => [i, 10]);
    // 80 events and 2 far off: 2.4% is a second cluster, not an outlier.
    expect(denseRange(days([...dense, [700, 2]]), 120)).toMatchObject({ last: 700, outliers: [] });
  });
});

describe("the HTML report with an outlier", () => {
  it("draws the dense days one bar each and lists the outlier with its count", async () => {
    const report = await reportOf([...march(30), "2026-11-30T01:00:00.000Z"]);
    const doc = new JSDOM(renderReportHtml(report)).window.document;
    expect(doc.querySelector("#per-day h2")?.textContent).toBe("Events per UTC day");
    const bars = [...doc.querySelectorAll("g.day")].map((g) => g.getAttribute("data-start"));
    expect(bars).toEqual(Array.from({ length: 8 }, (_, i) => `2025-03-0${i + 1}`));
    const items = [...doc.querySelectorAll("#outliers li")].map((li) => li.textContent);
    expect(items).toEqual(["2026-11-30: 1 event"]);
    expect(doc.querySelector("#outliers p")?.textContent).toContain("Not drawn: 1 event");
    // Counted everywhere else: the figures still show every event and the real last event.
    expect(report.totals.valid).toBe(241);
    expect(report.time_range?.last).toBe("2026-11-30T01:00:00.000Z");
  });

  it("has no outlier list when there is none", async () => {
    const doc = new JSDOM(renderReportHtml(await reportOf(march(3)))).window.document;
    expect(doc.querySelector("#outliers")).toBeNull();
  });

  it("the terminal summary keeps its sparkline on the dense range and names the outlier", async () => {
    const report = await reportOf([...march(30), "2026-11-30T01:00:00.000Z"]);
    const text = formatReportSummary(report, { width: 100 });
    expect(text).toContain("PER DAY 2025-03-01 … 2025-03-08");
    expect(text).toContain("Not drawn, far from the rest: 2026-11-30 (1)");
  });
});
