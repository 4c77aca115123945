// A tally's event counts as a state file keeps them: per channel and event name, one run per
// stretch of consecutive days, `[channel, event, first day, [count of that day, of the next, …]]`.
// A row per day (`[channel, event, day, count]`) made the state of a year of 50 event names in 4
// files about 3 MB, read, checked and written again by every incremental run; runs take about a
// ninth of that (83 against 776 KB at 10M events), and far fewer values to allocate and check.
import { dayIndex, dayText } from "./day-numbers.js";
import type { EventCounts } from "./event-counts.js";

/** Counts of consecutive days, the first named. */
export type CountRun = [channel: string, event: string, firstDay: string, counts: number[]];

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `value` is a run as {@link toCountRuns} writes it (counts non-negative integers). */
export function isCountRun(value: unknown): value is CountRun {
  if (!Array.isArray(value) || value.length !== 4) return false;
  const [channel, event, first, counts] = value;
  if (typeof channel !== "string" || typeof event !== "string") return false;
  if (typeof first !== "string" || !DAY.test(first)) return false;
  if (!Array.isArray(counts) || counts.length === 0) return false;
  for (const n of counts) if (!Number.isSafeInteger(n) || n < 0) return false;
  return true;
}

/** The counts as runs; each (channel, event)'s runs in day order. */
export function toCountRuns(counts: EventCounts): CountRun[] {
  const runs: CountRun[] = [];
  for (const [channel, event, dayRuns] of counts.names()) {
    for (const { start, counts: perDay } of dayRuns) {
      runs.push([channel, event, dayText(start), [...perDay]]);
    }
  }
  return runs;
}

/**
 * Adds the counts of `runs` (checked: see count-runs-problem.ts; days that count nothing are
 * left out) to `counts`, which keeps their arrays.
 */
export function addCountRuns(counts: EventCounts, runs: readonly CountRun[]): void {
  for (const [channel, event, first, perDay] of runs) {
    counts.addRun(channel, event, dayIndex(first), perDay);
  }
}
