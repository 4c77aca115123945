import type { AggregateReport } from "../../model/report-schema.js";

/** Entries of a count map, largest first, ties by key, so rankings are stable. */
export function ranked(counts: Readonly<Record<string, number>>): [string, number][] {
  return Object.entries(counts).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
}

/** The `limit` most frequent (channel, event) pairs. */
export function topEvents(
  report: AggregateReport,
  limit: number,
): { channel: string; event: string; count: number }[] {
  const pairs: { channel: string; event: string; count: number }[] = [];
  for (const [channel, events] of Object.entries(report.by_channel_event)) {
    for (const [event, count] of Object.entries(events)) pairs.push({ channel, event, count });
  }
  pairs.sort(
    (a, b) =>
      b.count - a.count ||
      (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0) ||
      (a.event < b.event ? -1 : a.event > b.event ? 1 : 0),
  );
  return pairs.slice(0, limit);
}
