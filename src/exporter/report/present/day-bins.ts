import type { AggregateReport } from "../../model/report-schema.js";
import { type DayCount, denseRange } from "./dense-range.js";

const DAY_MS = 86_400_000;

/** A run of consecutive UTC days and the events counted in it, in total and per series. */
export interface DayBin {
  /** First UTC day of the bin (`YYYY-MM-DD`). */
  readonly start: string;
  /** Last UTC day of the bin; equal to `start` when a bin is one day. */
  readonly end: string;
  readonly total: number;
  /** Count per series name (channel), in the order of {@link DaySeries.names}. */
  readonly counts: readonly number[];
}

/** Events per day (or per run of days) for a few named series, ready to draw. */
export interface DaySeries {
  readonly names: readonly string[];
  /** Days per bin: 1 unless the range has more days than bins allowed. */
  readonly daysPerBin: number;
  readonly bins: readonly DayBin[];
  /** Days far from the rest, left out of the bins so they do not flatten them (see denseRange). */
  readonly outliers: readonly { readonly day: string; readonly total: number }[];
}

function dayNumber(day: string): number {
  return Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

function dayString(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Bins every UTC day from the first to the last in the report into at most `maxBins` bins of
 * equal length, so a year of data still draws in bounded space. A few events far from the rest
 * (a stray timestamp years away) are left out as `outliers` instead, for the page to name.
 * `series` picks the channels drawn on their own; the others are summed into `otherName`.
 */
export function daySeries(
  report: AggregateReport,
  series: readonly string[],
  maxBins: number,
  otherName?: string,
): DaySeries {
  const days: DayCount[] = Object.entries(report.by_day)
    .map(([day, total]) => ({ day: dayNumber(day), total }))
    .filter((d) => !Number.isNaN(d.day))
    .sort((a, b) => a.day - b.day);
  const names = otherName === undefined ? [...series] : [...series, otherName];
  if (days.length === 0) return { names, daysPerBin: 1, bins: [], outliers: [] };
  const { first, last, outliers } = denseRange(days, maxBins);
  const span = last - first + 1;
  const daysPerBin = Math.max(1, Math.ceil(span / Math.max(1, maxBins)));
  const binCount = Math.ceil(span / daysPerBin);
  const totals = new Array<number>(binCount).fill(0);
  const counts = Array.from({ length: binCount }, () => new Array<number>(names.length).fill(0));
  const index = new Map(series.map((name, i) => [name, i]));
  for (const [channel, perDay] of Object.entries(report.by_channel_day)) {
    const slot = index.get(channel) ?? (otherName === undefined ? -1 : series.length);
    for (const [day, n] of Object.entries(perDay)) {
      const bin = Math.floor((dayNumber(day) - first) / daysPerBin);
      if (Number.isNaN(bin) || bin < 0 || bin >= binCount) continue;
      totals[bin] = (totals[bin] ?? 0) + n;
      const row = counts[bin] as number[];
      if (slot >= 0) row[slot] = (row[slot] ?? 0) + n;
    }
  }
  const bins = totals.map((total, i) => {
    const start = first + i * daysPerBin;
    return {
      start: dayString(start),
      end: dayString(Math.min(last, start + daysPerBin - 1)),
      total,
      counts: counts[i] as number[],
    };
  });
  return {
    names,
    daysPerBin,
    bins,
    outliers: outliers.map((d) => ({ day: dayString(d.day), total: d.total })),
  };
}
