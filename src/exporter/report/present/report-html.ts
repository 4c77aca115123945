import type { AggregateReport } from "../../model/report-schema.js";
import { daySeries } from "./day-bins.js";
import { renderDayChart, renderLegend, SERIES_COLOURS } from "./day-chart.js";
import { formatCount, plural } from "./format.js";
import { html, type SafeHtml, trustedHtml } from "./html.js";
import { ranked } from "./rankings.js";
import { REPORT_CSS } from "./report-styles.js";
import {
  anomalyTable,
  channelTable,
  dailyTable,
  inventoryTable,
  topEventTable,
} from "./report-tables.js";

/** Options of {@link renderReportHtml}. */
export interface HtmlReportOptions {
  /** The page title. Default `Telemetry report`. */
  readonly title?: string;
  /** Bars in the chart at most; longer ranges are drawn in bins of several days. Default 120. */
  readonly maxBars?: number;
  /** (channel, event) pairs in the top events table. Default 25. */
  readonly topEvents?: number;
}

// Nothing may load from anywhere: no scripts at all, styles only inline, images only data: URLs.
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

function figure(label: string, value: unknown, className = "", wide = false): SafeHtml {
  return html`<div class="${wide ? "wide" : ""}"><dt>${label}</dt><dd class="${className}">${value}</dd></div>`;
}

function figures(report: AggregateReport): SafeHtml {
  const t = report.totals;
  const range = report.time_range;
  const versions = Object.entries(report.schema_versions)
    .map(([v, n]) => `${v} (${formatCount(n)})`)
    .join(", ");
  const filters = report.filters;
  const filterText =
    filters === undefined
      ? ""
      : [
          filters.channels ? `channel ${filters.channels.join(", ")}` : "",
          filters.events ? `event ${filters.events.join(", ")}` : "",
          filters.since ? `since ${filters.since}` : "",
          filters.until ? `until ${filters.until}` : "",
        ]
          .filter((s) => s !== "")
          .join("; ");
  return html`<dl class="figures" id="figures">
${figure("Events", formatCount(t.valid))}
${figure("Channels", formatCount(Object.keys(report.by_channel).length))}
${figure("Event names", formatCount(Object.keys(report.by_event).length))}
${figure("Files read", formatCount(t.files))}
${figure("Lines", formatCount(t.lines))}
${figure("Invalid lines", formatCount(t.invalid), t.invalid > 0 ? "bad" : "")}
${figure("Warnings", formatCount(report.anomalies.warnings), report.anomalies.warnings > 0 ? "warn" : "")}
${figure("Missing inputs", formatCount(report.inventory.missing.length), report.inventory.missing.length > 0 ? "warn" : "")}
${figure("First event", range?.first ?? "none", "small mono", true)}
${figure("Last event", range?.last ?? "none", "small mono", true)}
${figure("Schema versions", versions === "" ? "none" : versions, "small", true)}
${t.filtered === undefined ? html`` : figure("Filtered out", `${formatCount(t.filtered)} (${filterText})`, "small")}
</dl>`;
}

function chartSection(report: AggregateReport, maxBars: number): SafeHtml {
  if (report.totals.valid === 0) {
    return html`<section id="per-day"><h2>Events per UTC day</h2><p class="note">No valid events to draw.</p></section>`;
  }
  const channels = ranked(report.by_channel).map(([name]) => name);
  const drawn =
    channels.length > SERIES_COLOURS.length + 1
      ? channels.slice(0, SERIES_COLOURS.length)
      : channels;
  const hasOther = drawn.length < channels.length;
  const otherLabel = `${formatCount(channels.length - drawn.length)} other channels`;
  const series = daySeries(report, drawn, maxBars, hasOther ? "(other)" : undefined);
  const unit = series.daysPerBin === 1 ? "day" : `${series.daysPerBin} days`;
  const label = `Stacked bar chart: events per ${unit} per channel, ${series.bins[0]?.start} to ${series.bins[series.bins.length - 1]?.end}`;
  const heading =
    series.daysPerBin === 1 ? "Events per UTC day" : `Events per ${series.daysPerBin} UTC days`;
  return html`<section id="per-day"><h2>${heading}</h2>${renderDayChart(series, hasOther, label)}${renderLegend(series, hasOther, otherLabel)}${outlierNote(series.outliers)}${dailyTable(series, otherLabel, hasOther)}</section>`;
}

// Named beside the chart, not drawn in it: drawn, they would stretch its range over the gap.
function outlierNote(outliers: readonly { day: string; total: number }[]): SafeHtml {
  if (outliers.length === 0) return html``;
  const items = outliers.map(
    (o) =>
      html`<li data-day="${o.day}" data-total="${o.total}"><time datetime="${o.day}">${o.day}</time>: ${plural(o.total, "event")}</li>`,
  );
  const count = plural(
    outliers.reduce((n, o) => n + o.total, 0),
    "event",
  );
  return html`<div class="outliers" id="outliers"><p class="note">Not drawn: ${count} far from the rest (outliers, counted everywhere else on this page):</p><ul>${items}</ul></div>`;
}

/**
 * The aggregate report as one self-contained HTML page: key figures, a per-day chart per channel
 * (inline SVG), and tables of channels, top events, anomalies and input files. It loads nothing
 * (a Content-Security-Policy forbids it), runs no script, and escapes every value it shows.
 */
export function renderReportHtml(report: AggregateReport, options: HtmlReportOptions = {}): string {
  const title = options.title ?? "Telemetry report";
  const inputs = report.inputs.map((input, i) => html`${i > 0 ? ", " : ""}<code>${input}</code>`);
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${report.generator.name} ${report.generator.version}">
<title>${title}</title>
<style>${trustedHtml(REPORT_CSS)}</style>
</head>
<body>
<header>
<h1>${title}</h1>
<p class="meta" id="generated">Generated <time datetime="${report.generated_at}">${report.generated_at}</time> by ${report.generator.name} ${report.generator.version} from ${inputs}</p>
</header>
<main>
${figures(report)}
${chartSection(report, options.maxBars ?? 120)}
<section id="channels"><h2>Channels</h2>${channelTable(report)}</section>
<section id="top-events"><h2>Top events</h2>${topEventTable(report, options.topEvents ?? 25)}</section>
<section id="anomalies"><h2>Anomalies</h2><p class="note">${plural(report.anomalies.errors, "error")}, ${plural(report.anomalies.warnings, "warning")}.</p>${anomalyTable(report)}</section>
<section id="inventory"><h2>Input files</h2>${inventoryTable(report)}</section>
</main>
<footer>Aggregate report format ${report.report_version}. Counts are of valid events after filters; times are UTC.</footer>
</body>
</html>
`;
  return page.markup;
}
