import fc from "fast-check";
import { SegmentCounts } from "../../src/exporter/engine/segment-counts.js";
import { dayText } from "../../src/exporter/model/day-numbers.js";
import { EventCounts, type PackedCounts } from "../../src/exporter/model/event-counts.js";

/** Counts as a flat list, the plainest form to write and compare in tests. */
export type CountEntries = [channel: string, event: string, day: string, count: number][];

/** Up to 40 cells of a few channels, names and days, counts up to 2^40 (past 32 bits). */
export const countCells: fc.Arbitrary<CountEntries> = fc.array(
  fc.tuple(
    fc.constantFrom("user", "system", "billing"),
    fc.constantFrom("a", "b", "c", "d"),
    fc.constantFrom("2025-01-01", "2025-01-02", "2025-02-28", "2026-12-31"),
    fc.integer({ min: 1, max: 2 ** 40 }),
  ),
  { maxLength: 40 },
);

/** The counts of `entries`, each added to its cell in the order given. */
export function countsOf(entries: CountEntries): EventCounts {
  const counts = new EventCounts();
  for (const [channel, event, day, n] of entries) counts.add(channel, event, day, n);
  return counts;
}

/** Every cell of `counts`: names in the order first counted, each one's days in order. */
export function entriesOf(counts: EventCounts): CountEntries {
  const out: CountEntries = [];
  for (const [channel, event, runs] of counts.names()) {
    for (const { start, counts: perDay } of runs) {
      for (const [k, n] of perDay.entries()) out.push([channel, event, dayText(start + k), n]);
    }
  }
  return out;
}

/** `entries` as a segment's result carries them between threads. */
export function packed(entries: CountEntries): PackedCounts {
  const counts = new SegmentCounts();
  for (const [channel, event, day, n] of entries) counts.add(counts.slot(channel, event, day), n);
  return counts.pack();
}
