import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import {
  type AggregateReport,
  aggregateEvents,
  renderReportHtml,
  writeHtmlReport,
} from "../../src/exporter/index.js";
import { runCli } from "../helpers/cli.js";
import { eventLine, NOW } from "../helpers/event-lines.js";
import { HOSTILE_NAMES, hostileReport } from "../helpers/hostile-report.js";
import { runBin } from "../helpers/run-bin.js";
import { recordSample } from "../helpers/sample-events.js";
import { tempDir } from "../helpers/temp-dir.js";

function parse(html: string): Document {
  return new JSDOM(html).window.document;
}

const number = (text: string | null | undefined) => Number((text ?? "").replace(/,/g, ""));

async function sampleReport(): Promise<AggregateReport> {
  const input = tempDir();
  await recordSample(input);
  writeFileSync(join(input, "user.jsonl"), "{bad\n", { flag: "a" });
  return (await aggregateEvents({ inputs: [input], now: NOW })).report;
}

function figure(doc: Document, label: string): string | undefined {
  for (const div of doc.querySelectorAll("#figures > div")) {
    if (div.querySelector("dt")?.textContent === label)
      return div.querySelector("dd")?.textContent ?? "";
  }
  return undefined;
}

describe("renderReportHtml", () => {
  it("shows the totals, range, schema versions and provenance of the report", async () => {
    const report = await sampleReport();
    const doc = parse(renderReportHtml(report));
    expect(doc.title).toBe("Telemetry report");
    expect(number(figure(doc, "Events"))).toBe(report.totals.valid);
    expect(number(figure(doc, "Channels"))).toBe(Object.keys(report.by_channel).length);
    expect(number(figure(doc, "Files read"))).toBe(report.totals.files);
    expect(number(figure(doc, "Invalid lines"))).toBe(1);
    expect(figure(doc, "First event")).toBe(report.time_range?.first);
    expect(figure(doc, "Last event")).toBe(report.time_range?.last);
    expect(figure(doc, "Schema versions")).toBe(`telemetry_event_v1 (${report.totals.valid})`);
    const generated = doc.querySelector("#generated");
    expect(generated?.querySelector("time")?.getAttribute("datetime")).toBe(report.generated_at);
    expect(generated?.textContent).toContain(report.inputs[0]);
  });

  it("counts every warning in its Warnings figure, an input's as well as a line's", async () => {
    const input = tempDir();
    await recordSample(input);
    const missing = join(tempDir(), "nope");
    const { report } = await aggregateEvents({ inputs: [input, missing], now: NOW });
    const doc = parse(renderReportHtml(report));
    expect(number(figure(doc, "Warnings"))).toBe(1);
    expect(number(figure(doc, "Missing inputs"))).toBe(1);
  });

  it("draws one stacked bar per day whose segments add up to the day's count, at one scale", async () => {
    const report = await sampleReport();
    // One bar per day: the sample spans from 2025 to today.
    const doc = parse(renderReportHtml(report, { maxBars: 10_000 }));
    const svg = doc.querySelector("svg.chart");
    const scale = Number(svg?.getAttribute("data-scale"));
    const baseline = Number(svg?.getAttribute("data-baseline"));
    const days = [...doc.querySelectorAll("g.day")];
    const drawn: Record<string, number> = {};
    for (const day of days) {
      const start = day.getAttribute("data-start") as string;
      let sum = 0;
      let top = baseline;
      for (const rect of day.querySelectorAll("rect.bar")) {
        const count = Number(rect.getAttribute("data-count"));
        const channel = rect.getAttribute("data-series") as string;
        expect(report.by_channel_day[channel]?.[start]).toBe(count);
        expect(Number(rect.getAttribute("height"))).toBeCloseTo(count * scale, 1);
        // Segments stack without gaps or overlaps.
        expect(Number(rect.getAttribute("y")) + Number(rect.getAttribute("height"))).toBeCloseTo(
          top,
          1,
        );
        top = Number(rect.getAttribute("y"));
        sum += count;
      }
      expect(Number(day.getAttribute("data-total"))).toBe(sum);
      if (sum > 0) drawn[start] = sum;
    }
    expect(drawn).toEqual(report.by_day);
    const legend = [...doc.querySelectorAll(".legend li")].map((li) => li.textContent);
    expect(legend.sort()).toEqual(Object.keys(report.by_channel).sort());
  });

  it("bins long ranges so the chart stays readable, keeping every count", async () => {
    const input = tempDir();
    const lines: string[] = [];
    for (let d = 0; d < 365; d++) {
      const ts = new Date(Date.UTC(2024, 0, 1 + d, 12)).toISOString();
      lines.push(eventLine({ timestamp: ts }));
    }
    writeFileSync(join(input, "user.jsonl"), `${lines.join("\n")}\n`);
    const { report } = await aggregateEvents({ inputs: [input], now: NOW });
    const doc = parse(renderReportHtml(report, { maxBars: 100 }));
    const days = [...doc.querySelectorAll("g.day")];
    expect(days.length).toBeLessThanOrEqual(100);
    expect(days.reduce((n, d) => n + Number(d.getAttribute("data-total")), 0)).toBe(365);
    expect(doc.querySelector("#per-day h2")?.textContent).toBe("Events per 4 UTC days");
  });

  it("groups channels beyond the colour palette as other channels", async () => {
    const input = tempDir();
    const lines: string[] = [];
    for (let c = 0; c < 12; c++) {
      for (let i = 0; i <= c; i++) {
        lines.push(eventLine({ channel: `c${c}`, timestamp: "2025-01-01T00:00:00Z" }));
      }
    }
    writeFileSync(join(input, "all.jsonl"), `${lines.join("\n")}\n`);
    const { report } = await aggregateEvents({ inputs: [input], now: NOW });
    const doc = parse(renderReportHtml(report));
    const legend = [...doc.querySelectorAll(".legend li")].map((li) => li.textContent);
    expect(legend).toEqual(["c11", "c10", "c9", "c8", "c7", "c6", "c5", "5 other channels"]);
    const other = doc.querySelector('rect[data-series="(other)"]');
    expect(Number(other?.getAttribute("data-count"))).toBe(1 + 2 + 3 + 4 + 5);
  });

  it("tables match the aggregate: channels, top events, anomalies with samples, files", async () => {
    const report = await sampleReport();
    const doc = parse(renderReportHtml(report));
    for (const [channel, count] of Object.entries(report.by_channel)) {
      const row = doc.querySelector(`#channel-table tr[data-channel="${channel}"]`);
      expect(number(row?.children[1]?.textContent)).toBe(count);
    }
    const eventRows = [...doc.querySelectorAll("#event-table tbody tr")];
    const firstPair = eventRows[0]?.children;
    expect(
      report.by_channel_event[firstPair?.[0]?.textContent as string]?.[
        firstPair?.[1]?.textContent as string
      ],
    ).toBe(number(firstPair?.[2]?.textContent));
    const anomaly = doc.querySelector('#anomaly-table tr[data-code="invalid_json"]');
    expect(number(anomaly?.children[2]?.textContent)).toBe(1);
    const sample = report.anomalies.examples.invalid_json?.[0];
    expect(anomaly?.textContent).toContain(`${sample?.file}:${sample?.line}`);
    expect(anomaly?.querySelector(".excerpt")?.textContent).toBe("{bad");
    const files = [...doc.querySelectorAll("#file-table tbody tr")];
    expect(files.map((r) => r.querySelector("code")?.textContent)).toEqual(
      report.inventory.files.map((f) => f.path),
    );
    expect(files.map((r) => number(r.children[3]?.textContent))).toEqual(
      report.inventory.files.map((f) => f.valid),
    );
  });

  it("shows hostile names, paths and excerpts as text: no element, attribute or escape gets in", async () => {
    const report = await hostileReport(tempDir());
    const page = renderReportHtml(report);
    const doc = parse(page);
    expect(doc.querySelectorAll("script, img, iframe, object, embed, link, base").length).toBe(0);
    for (const el of doc.querySelectorAll("*")) {
      for (const attr of el.getAttributeNames()) expect(attr.startsWith("on"), attr).toBe(false);
    }
    const events = [...doc.querySelectorAll("#event-table td.event")].map((td) => td.textContent);
    for (const name of HOSTILE_NAMES) {
      expect(events).toContain(name.replace("\u202e", "\\u{202e}").replace("\u202c", "\\u{202c}"));
    }
    const excerpts = [...doc.querySelectorAll(".excerpt")].map((e) => e.textContent);
    expect(excerpts.some((e) => e?.includes("</code><script>alert(2)</script>\\u{1b}[31m"))).toBe(
      true,
    );
    expect(doc.body.textContent).toContain("<b>bold<\\b>.jsonl");
    expect(page).not.toContain("\u001b");
    expect(page).not.toContain("\u202e");
  });

  it("loads nothing: a CSP that forbids every fetch, and no URL in any attribute or style", async () => {
    const page = renderReportHtml(await sampleReport());
    const doc = parse(page);
    const csp = doc
      .querySelector('meta[http-equiv="Content-Security-Policy"]')
      ?.getAttribute("content");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain("script-src");
    for (const el of doc.querySelectorAll("[src], [href], [srcset], [action]")) {
      throw new Error(`unexpected reference on <${el.tagName}>`);
    }
    expect(page).not.toMatch(/url\(|@import|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });
});

describe("writeHtmlReport and telemetry-exporter report", () => {
  it("writes the page atomically from inputs or --from, leaving no temp file", async () => {
    const input = tempDir();
    await recordSample(input);
    const out = tempDir();
    const target = join(out, "r.html");
    const run = await runCli(["report", "-i", input, "-o", target, "--title", "Weekly <b>"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`wrote the HTML report to ${target}`);
    const fromInputs = parse(readFileSync(target, "utf8"));
    expect(fromInputs.title).toBe("Weekly <b>");
    const agg = join(out, "agg.json");
    await runCli(["aggregate", "-i", input, "-o", agg, "-q"]);
    const second = join(out, "r2.html");
    expect((await runCli(["report", "--from", agg, "-o", second])).code).toBe(0);
    const fromFile = parse(readFileSync(second, "utf8"));
    expect(fromFile.querySelector("#figures")?.textContent).toBe(
      fromInputs.querySelector("#figures")?.textContent,
    );
    expect(readdirSync(out).sort()).toEqual(["agg.json", "r.html", "r2.html"]);
  });

  it("refuses to write over its --from report or an input (exit 2), keeping them", async () => {
    const input = tempDir();
    await recordSample(input);
    const agg = join(tempDir(), "agg.json");
    await runCli(["aggregate", "-i", input, "-o", agg, "-q"]);
    const before = readFileSync(agg, "utf8");
    const run = await runCli(["report", "--from", agg, "-o", agg]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("is the --from report");
    expect(readFileSync(agg, "utf8")).toBe(before);
    const onInput = await runCli(["report", "-i", input, "-o", join(input, "user.jsonl")]);
    expect(onInput.code).toBe(2);
  });

  // docs/cli.md, --from: "exit 1 when FILE cannot be read or is not an aggregate report".
  it("report --from a missing file or one that is not a report: exit 1 naming it, the page kept", async () => {
    const dir = tempDir();
    const out = join(dir, "r.html");
    writeFileSync(out, "previous");
    const missing = join(dir, "none.json");
    writeFileSync(join(dir, "other.json"), JSON.stringify({ report_version: 1, totals: {} }));
    for (const [from, said] of [
      [
        missing,
        `error: cannot read report ${missing} (ENOENT): no such file; an aggregate or etl run writes one\n`,
      ],
      [join(dir, "other.json"), /^error: \S+other\.json is not an aggregate report .* at /],
    ] as const) {
      const run = await runBin(["report", "--from", from, "-o", out]);
      expect({ from, code: run.code, stdout: run.stdout }).toEqual({ from, code: 1, stdout: "" });
      if (typeof said === "string") expect(run.stderr).toBe(said);
      else expect(run.stderr).toMatch(said);
      expect(readFileSync(out, "utf8")).toBe("previous");
    }
    expect(readdirSync(dir).sort()).toEqual(["other.json", "r.html"]);
  });

  it("a failed read leaves the previous page in place", async () => {
    const out = join(tempDir(), "r.html");
    writeFileSync(out, "previous");
    await expect(
      writeHtmlReport({ inputs: [join(tempDir(), "missing")], strict: true, output: out }),
    ).rejects.toThrow();
    expect(readFileSync(out, "utf8")).toBe("previous");
  });

  it("etl writes telemetry_report.html beside the other outputs", async () => {
    const input = tempDir();
    await recordSample(input);
    const dir = tempDir();
    expect((await runCli(["etl", "-i", input, "--output-dir", dir, "-q"])).code).toBe(0);
    const page = join(dir, "telemetry_report.html");
    expect(existsSync(page)).toBe(true);
    const report = JSON.parse(readFileSync(join(dir, "telemetry_aggregates.json"), "utf8"));
    expect(number(figure(parse(readFileSync(page, "utf8")), "Events"))).toBe(report.totals.valid);
  });
});
