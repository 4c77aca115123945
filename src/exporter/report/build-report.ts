import { PACKAGE_NAME, packageVersion } from "../../version.js";
import type { ScanResult } from "../contracts.js";
import { copyDiagnostic } from "../model/diagnostics.js";
import { type EventCounts, rollUpCounts } from "../model/event-counts.js";
import { widenRange } from "../model/file-tally.js";
import type { EventFilters } from "../model/filters.js";
import type { AggregateReport } from "../model/report-schema.js";
import { REPORT_VERSION } from "../model/report-version.js";

function sorted(map: ReadonlyMap<string, number>): Record<string, number> {
  // fromEntries defines own properties, so an event named "__proto__" stays a key.
  return Object.fromEntries([...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function sortedNested(map: ReadonlyMap<string, ReadonlyMap<string, number>>) {
  return Object.fromEntries(
    [...map.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, inner]) => [key, sorted(inner)]),
  );
}

function timeRange(scan: ScanResult): AggregateReport["time_range"] {
  let range: { first: string | null; last: string | null } = { first: null, last: null };
  for (const file of scan.files) {
    range = widenRange(range.first, range.last, file.first_timestamp, file.last_timestamp);
  }
  const { first, last } = range;
  return first === null || last === null ? null : { first, last };
}

function filterSummary(filters: EventFilters | undefined): AggregateReport["filters"] {
  if (filters === undefined) return undefined;
  const out: NonNullable<AggregateReport["filters"]> = {};
  if (filters.channels?.length) out.channels = [...filters.channels];
  if (filters.events?.length) out.events = [...filters.events];
  if (filters.since !== undefined) out.since = filters.since;
  if (filters.until !== undefined) out.until = filters.until;
  return out;
}

/**
 * Assembles the aggregate report, keys in a stable order, from one scan and its counts (in
 * parts, such as each file's, that add up to them).
 */
export function buildReport(
  scan: ScanResult,
  counts: readonly EventCounts[],
  context: { readonly generatedAt: Date; readonly filters: EventFilters | undefined },
): AggregateReport {
  const { generatedAt, filters } = context;
  const { filtered, ...lineTotals } = scan.totals;
  const log = scan.diagnostics;
  const maps = rollUpCounts(counts);
  const report: AggregateReport = {
    report_version: REPORT_VERSION,
    generated_at: generatedAt.toISOString(),
    generator: { name: PACKAGE_NAME, version: packageVersion() },
    inputs: [...scan.inputs],
    ...(scan.filtered ? { filters: filterSummary(filters) } : {}),
    totals: scan.filtered ? { ...lineTotals, filtered } : lineTotals,
    by_channel: sorted(maps.byChannel),
    by_event: sorted(maps.byEvent),
    by_day: sorted(maps.byDay),
    by_channel_event: sortedNested(maps.byChannelEvent),
    by_channel_day: sortedNested(maps.byChannelDay),
    time_range: timeRange(scan),
    schema_versions: sorted(maps.versions),
    inventory: { files: scan.files.map((f) => ({ ...f })), missing: [...scan.missing] },
    anomalies: {
      by_code: Object.fromEntries(Object.entries(log.byCode).sort(([a], [b]) => (a < b ? -1 : 1))),
      errors: log.errors,
      warnings: log.warnings,
      first: log.samples.map(copyDiagnostic),
      examples: Object.fromEntries(
        Object.entries(log.examples)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([code, list]) => [code, list.map(copyDiagnostic)]),
      ),
    },
  };
  return report;
}
