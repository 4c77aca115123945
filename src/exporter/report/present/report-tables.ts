import type { AggregateReport, FileInventory } from "../../model/report-schema.js";
import type { DaySeries } from "./day-bins.js";
import { examplesOf, formatCount, percent } from "./format.js";
import { html, type SafeHtml } from "./html.js";
import { ranked, topEvents } from "./rankings.js";

/** Events per channel, with share, active days and first/last day. */
export function channelTable(report: AggregateReport): SafeHtml {
  const total = report.totals.valid;
  const rows = ranked(report.by_channel).map(([channel, count]) => {
    const days = Object.keys(report.by_channel_day[channel] ?? {}).sort();
    const events = Object.keys(report.by_channel_event[channel] ?? {}).length;
    return html`<tr data-channel="${channel}"><td>${channel}</td><td class="num">${formatCount(count)}</td><td class="num">${percent(count, total)}</td><td class="num">${formatCount(events)}</td><td class="num">${formatCount(days.length)}</td><td class="mono">${days[0] ?? ""}</td><td class="mono">${days[days.length - 1] ?? ""}</td></tr>`;
  });
  return html`<table id="channel-table"><thead><tr><th>Channel</th><th class="num">Events</th><th class="num">Share</th><th class="num">Event names</th><th class="num">Active days</th><th>First day</th><th>Last day</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The most frequent (channel, event) pairs. */
export function topEventTable(report: AggregateReport, limit: number): SafeHtml {
  const total = report.totals.valid;
  const top = topEvents(report, limit);
  const pairs = Object.values(report.by_channel_event).reduce(
    (n, events) => n + Object.keys(events).length,
    0,
  );
  const rows = top.map(
    ({ channel, event, count }) =>
      html`<tr><td>${channel}</td><td class="event">${event}</td><td class="num">${formatCount(count)}</td><td class="num">${percent(count, total)}</td></tr>`,
  );
  const note =
    pairs > top.length
      ? html`<p class="note">The ${formatCount(top.length)} most frequent of ${formatCount(pairs)} (channel, event) pairs; the aggregate report has them all.</p>`
      : html``;
  return html`<table id="event-table"><thead><tr><th>Channel</th><th>Event</th><th class="num">Events</th><th class="num">Share</th></tr></thead><tbody>${rows}</tbody></table>${note}`;
}

/** Anomalies by code, each with its first few locations and messages. */
export function anomalyTable(report: AggregateReport): SafeHtml {
  const codes = ranked(report.anomalies.by_code);
  if (codes.length === 0)
    return html`<p id="anomaly-table" class="note">No anomalies: every line read was a valid event.</p>`;
  const rows = codes.map(([code, count]) => {
    const examples = examplesOf(report, code);
    const severity = examples[0]?.severity ?? "error";
    const items = examples.map((d) => {
      const where = d.line > 0 ? `${d.file}:${d.line}` : d.file;
      const excerpt =
        d.excerpt === undefined ? html`` : html`<br><code class="excerpt">${d.excerpt}</code>`;
      return html`<li><code>${where}</code> ${d.message}${excerpt}</li>`;
    });
    const more =
      count > examples.length
        ? html`<li class="note">\u2026 and ${formatCount(count - examples.length)} more</li>`
        : html``;
    return html`<tr data-code="${code}"><td class="nowrap"><code>${code}</code></td><td class="nowrap ${severity === "error" ? "bad" : "warn"}">${severity}</td><td class="num">${formatCount(count)}</td><td><ul class="examples">${items}${more}</ul></td></tr>`;
  });
  return html`<table id="anomaly-table"><thead><tr><th>Code</th><th>Severity</th><th class="num">Count</th><th>First occurrences</th></tr></thead><tbody>${rows}</tbody></table>`;
}

// A folded entry stands for several archived files of one channel, from `path` to `last_path`.
function archivedNote(f: FileInventory): SafeHtml {
  if (f.folded !== undefined) {
    return html`<br>\u2026 <code>${f.folded.last_path}</code><br><span class="note">${formatCount(f.folded.files)} archived files, folded into one entry: deleted since an incremental run read them; their counts are kept</span>`;
  }
  return f.archived === true
    ? html`<br><span class="note">archived: deleted since an incremental run read it; its counts are kept</span>`
    : html``;
}

/** Every input file with its counts, and the inputs that were missing. */
export function inventoryTable(report: AggregateReport): SafeHtml {
  const rows = report.inventory.files.map(
    (f) =>
      html`<tr><td><code>${f.path}</code>${f.error === undefined ? html`` : html`<br><span class="bad">${f.error}</span>`}${archivedNote(f)}</td><td class="num">${formatCount(f.bytes)}</td><td class="num">${formatCount(f.lines)}</td><td class="num">${formatCount(f.valid)}</td><td class="num${f.invalid > 0 ? " bad" : ""}">${formatCount(f.invalid)}</td><td class="num">${formatCount(f.blank)}</td><td class="num">${formatCount(f.warnings)}</td><td class="mono">${f.first_timestamp ?? ""}</td><td class="mono">${f.last_timestamp ?? ""}</td></tr>`,
  );
  const missing =
    report.inventory.missing.length === 0
      ? html``
      : html`<p class="warn">Missing inputs: ${report.inventory.missing.map((m, i) => html`${i > 0 ? ", " : ""}<code>${m}</code>`)}</p>`;
  return html`<table id="file-table"><thead><tr><th>File</th><th class="num">Bytes</th><th class="num">Lines</th><th class="num">Valid</th><th class="num">Invalid</th><th class="num">Blank</th><th class="num">Warnings</th><th>First event</th><th>Last event</th></tr></thead><tbody>${rows}</tbody></table>${missing}`;
}

/** The chart's numbers as a table, for screen readers and for copying. */
export function dailyTable(series: DaySeries, otherLabel: string, hasOther: boolean): SafeHtml {
  const names = series.names.map((n, i) =>
    hasOther && i === series.names.length - 1 ? otherLabel : n,
  );
  const head = names.map((n) => html`<th class="num">${n}</th>`);
  const rows = series.bins.map(
    (b) =>
      html`<tr><td class="mono">${b.start === b.end ? b.start : `${b.start} – ${b.end}`}</td>${b.counts.map((c) => html`<td class="num">${formatCount(c)}</td>`)}<td class="num">${formatCount(b.total)}</td></tr>`,
  );
  return html`<details><summary>The numbers behind the chart</summary><table id="daily-table"><thead><tr><th>${series.daysPerBin === 1 ? "UTC day" : "UTC days"}</th>${head}<th class="num">Total</th></tr></thead><tbody>${rows}</tbody></table></details>`;
}
