import { timestampSortKey } from "../schema/index.js";
import { PACKAGE_NAME, packageVersion } from "../version.js";
import type { Aggregator } from "./aggregator.js";
import type { EventFilters } from "./filters.js";
import { type AggregateReport, REPORT_VERSION } from "./report-schema.js";
import type { ScanResult } from "./scan.js";

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
  let first: string | null = null;
  let last: string | null = null;
  for (const file of scan.files) {
    if (
      file.first_timestamp !== null &&
      (first === null || timestampSortKey(file.first_timestamp) < timestampSortKey(first))
    ) {
      first = file.first_timestamp;
    }
    if (
      file.last_timestamp !== null &&
      (last === null || timestampSortKey(file.last_timestamp) > timestampSortKey(last))
    ) {
      last = file.last_timestamp;
    }
  }
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

/** Assembles the aggregate report, keys in a stable order, from one scan and its aggregator. */
export function buildReport(
  scan: ScanResult,
  aggregator: Aggregator,
  generatedAt: Date,
  filters: EventFilters | undefined,
): AggregateReport {
  const { filtered, ...counts } = scan.totals;
  const log = scan.diagnostics;
  const report: AggregateReport = {
    report_version: REPORT_VERSION,
    generated_at: generatedAt.toISOString(),
    generator: { name: PACKAGE_NAME, version: packageVersion() },
    inputs: [...scan.inputs],
    ...(scan.filtered ? { filters: filterSummary(filters) } : {}),
    totals: scan.filtered ? { ...counts, filtered } : counts,
    by_channel: sorted(aggregator.byChannel),
    by_event: sorted(aggregator.byEvent),
    by_day: sorted(aggregator.byDay),
    by_channel_event: sortedNested(aggregator.byChannelEvent),
    by_channel_day: sortedNested(aggregator.byChannelDay),
    time_range: timeRange(scan),
    schema_versions: sorted(aggregator.schemaVersions),
    inventory: { files: scan.files.map((f) => ({ ...f })), missing: [...scan.missing] },
    anomalies: {
      by_code: Object.fromEntries(Object.entries(log.byCode).sort(([a], [b]) => (a < b ? -1 : 1))),
      errors: log.errors,
      warnings: log.warnings,
      first: log.samples.map((d) => ({
        ...d,
        path: d.path === undefined ? undefined : [...d.path],
      })),
    },
  };
  return report;
}
