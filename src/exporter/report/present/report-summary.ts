import { type DiagnosticCode, severityOf } from "../../model/diagnostics.js";
import type { AggregateReport, ReportDiagnostic } from "../../model/report-schema.js";
import { daySeries } from "./day-bins.js";
import { examplesOf, formatCount, percent, plural } from "./format.js";
import { ranked, topEvents } from "./rankings.js";
import { revealUnsafe } from "./reveal-unsafe.js";
import { sparkline } from "./sparkline.js";
import { cell, truncate, truncateStart } from "./text-cells.js";
import { PLAIN_STYLE, type TextStyle } from "./text-style.js";

/** Options of {@link formatReportSummary}. */
export interface SummaryOptions {
  /** Columns the table may use. Default 80. */
  readonly width?: number;
  /** Colours; default none. */
  readonly style?: TextStyle;
  /** Channels listed before the rest are summed up. Default 10. */
  readonly channels?: number;
  /** (channel, event) pairs listed. Default 10. */
  readonly topEvents?: number;
}

const COUNT_WIDTH = 11;
const SHARE_WIDTH = 6;
const LOCATIONS_PER_CODE = 3;

function location(d: ReportDiagnostic, width: number): string {
  const where = revealUnsafe(d.line > 0 ? `${d.file}:${d.line}` : d.file);
  return truncateStart(where, width);
}

function header(report: AggregateReport, width: number, s: TextStyle): string[] {
  const t = report.totals;
  const channels = Object.keys(report.by_channel).length;
  const names = Object.keys(report.by_event).length;
  const out = [
    s.bold(
      truncate(
        `Telemetry: ${plural(t.valid, "event")} in ${plural(channels, "channel")} ` +
          `(${plural(names, "event name")}) from ${plural(t.files, "file")}`,
        width,
      ),
    ),
  ];
  const range = report.time_range;
  out.push(
    range === null
      ? "Time range: no valid events"
      : truncate(`Time range: ${range.first} → ${range.last}`, width),
  );
  // Every warning, a file's too (as the run's summary on stderr counts them).
  const filtered = t.filtered === undefined ? "" : `, ${formatCount(t.filtered)} filtered out`;
  out.push(
    truncate(
      `Lines: ${formatCount(t.lines)} read, ${formatCount(t.valid)} valid, ${formatCount(t.invalid)} invalid, ` +
        `${formatCount(t.blank)} blank, ${plural(report.anomalies.warnings, "warning")}${filtered}`,
      width,
    ),
  );
  if (report.inventory.missing.length > 0) {
    const missing = report.inventory.missing.map(revealUnsafe).join(", ");
    out.push(s.yellow(truncate(`Missing inputs: ${missing}`, width)));
  }
  return out;
}

function channelTable(report: AggregateReport, width: number, limit: number, s: TextStyle) {
  const all = ranked(report.by_channel);
  const shown = all.slice(0, limit).map(([name]) => name);
  const rest = all.slice(limit);
  const nameWidth = 16;
  const sparkWidth = Math.max(8, width - nameWidth - COUNT_WIDTH - SHARE_WIDTH - 4);
  const series = daySeries(report, shown, sparkWidth, rest.length > 0 ? "" : undefined);
  const total = report.totals.valid;
  const bins = series.bins;
  const span =
    bins.length === 0
      ? ""
      : `${(bins[0] as { start: string }).start} … ${(bins[bins.length - 1] as { end: string }).end}`;
  const per = series.daysPerBin === 1 ? "per day" : `per ${series.daysPerBin} days`;
  const row = (name: string, count: number, line: string) =>
    `${cell(name, nameWidth)} ${cell(formatCount(count), COUNT_WIDTH, "right")} ${cell(percent(count, total), SHARE_WIDTH, "right")}  ${line}`;
  const out = [
    s.bold(
      `${cell("CHANNEL", nameWidth)} ${cell("EVENTS", COUNT_WIDTH, "right")} ${cell("SHARE", SHARE_WIDTH, "right")}  ${truncate(`${per.toUpperCase()} ${span}`, sparkWidth)}`,
    ),
  ];
  shown.forEach((name, i) => {
    const values = bins.map((b) => b.counts[i] ?? 0);
    out.push(row(revealUnsafe(name), report.by_channel[name] ?? 0, sparkline(values)));
  });
  if (rest.length > 0) {
    const restCount = rest.reduce((sum, [, n]) => sum + n, 0);
    const values = bins.map((b) => b.counts[shown.length] ?? 0);
    out.push(s.dim(row(`${plural(rest.length, "other")}`, restCount, sparkline(values))));
  }
  if (shown.length > 1) out.push(row("all", total, sparkline(bins.map((b) => b.total))));
  if (series.outliers.length > 0) {
    const days = series.outliers.map((o) => `${o.day} (${formatCount(o.total)})`).join(", ");
    out.push(s.dim(truncate(`Not drawn, far from the rest: ${days}`, width)));
  }
  return out;
}

function eventTable(report: AggregateReport, width: number, limit: number, s: TextStyle) {
  const labelWidth = width - COUNT_WIDTH - SHARE_WIDTH - 2;
  const total = report.totals.valid;
  const out = [
    s.bold(
      `${cell("TOP EVENTS", labelWidth)} ${cell("EVENTS", COUNT_WIDTH, "right")} ${cell("SHARE", SHARE_WIDTH, "right")}`,
    ),
  ];
  const top = topEvents(report, limit);
  const channelWidth = Math.min(16, Math.max(...top.map((p) => p.channel.length)));
  for (const { channel, event, count } of top) {
    const label = `${cell(revealUnsafe(channel), channelWidth)}  ${revealUnsafe(event)}`;
    out.push(
      `${cell(label, labelWidth)} ${cell(formatCount(count), COUNT_WIDTH, "right")} ${cell(percent(count, total), SHARE_WIDTH, "right")}`,
    );
  }
  return out;
}

function anomalyTable(report: AggregateReport, width: number, s: TextStyle) {
  const codes = ranked(report.anomalies.by_code);
  if (codes.length === 0) return [`${s.bold("ANOMALIES")} none`];
  const codeWidth = 26;
  const whereWidth = width - codeWidth - COUNT_WIDTH - 3;
  const indent = " ".repeat(width - whereWidth);
  const out = [
    s.bold(
      `${cell("ANOMALIES", codeWidth)} ${cell("COUNT", COUNT_WIDTH, "right")}  FIRST LOCATIONS`,
    ),
  ];
  for (const [code, count] of codes) {
    const examples = examplesOf(report, code).slice(0, LOCATIONS_PER_CODE);
    const severity = examples[0]?.severity ?? severityOf(code as DiagnosticCode);
    const paint = severity === "error" ? s.red : s.yellow;
    const where = examples.map((d) => location(d, whereWidth));
    out.push(
      `${paint(cell(revealUnsafe(code), codeWidth))} ${cell(formatCount(count), COUNT_WIDTH, "right")}  ${where[0] ?? ""}`.trimEnd(),
    );
    for (const more of where.slice(1)) out.push(indent + more);
    if (count > examples.length && examples.length > 0) {
      out.push(s.dim(`${indent}… ${formatCount(count - examples.length)} more`));
    }
  }
  return out;
}

/**
 * The terminal summary of an aggregate report: totals, time range, events per channel with a
 * per-day sparkline, the top events, and anomalies by code with their first locations. Every
 * line fits in `width` columns, and untrusted text is stripped of control characters.
 */
export function formatReportSummary(report: AggregateReport, options: SummaryOptions = {}): string {
  const width = Math.max(60, options.width ?? 80);
  const style = options.style ?? PLAIN_STYLE;
  const sections = [header(report, width, style)];
  if (report.totals.valid > 0) {
    sections.push(channelTable(report, width, options.channels ?? 10, style));
    sections.push(eventTable(report, width, options.topEvents ?? 10, style));
  }
  sections.push(anomalyTable(report, width, style));
  return `${sections.map((lines) => lines.join("\n")).join("\n\n")}\n`;
}
