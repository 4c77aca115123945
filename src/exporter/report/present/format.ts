import type { AggregateReport, ReportDiagnostic } from "../../model/report-schema.js";

/** A count with thousands separators (`12,345`). */
export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** `1 event`, `2 events`. */
export function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? "" : "s"}`;
}

/** `n` as a share of `total` (`47.1%`), or empty when there is no total. */
export function percent(n: number, total: number): string {
  return total === 0 ? "" : `${((100 * n) / total).toFixed(1)}%`;
}

/** The first diagnostics of a code; reports written before `examples` existed fall back to `first`. */
export function examplesOf(report: AggregateReport, code: string): readonly ReportDiagnostic[] {
  return report.anomalies.examples[code] ?? report.anomalies.first.filter((d) => d.code === code);
}
