// Whether a tally's saved count runs could be what toCountRuns wrote for it. The schema checks
// each run's shape only; a hand edit or a bug can leave runs of that shape which would make the
// report wrong without a word: a day that does not exist or lies past 9999-12-31, a day counted
// twice, a name no valid event has, counts that are not the file's valid events, a first or last
// timestamp on another day than the first or last day counted.
import { CHANNEL_PATTERN } from "../../schema/constants.js";
import { isEventName } from "../../schema/event-schema.js";
import { compareTimestamps } from "../../schema/timestamp.js";
import { epochDays } from "../../schema/timestamp-parts.js";
import { dayIndex } from "./day-numbers.js";
import type { SavedTally } from "./saved-tally.js";

const LAST_DAY = epochDays(99_991_231);
// A canonical timestamp, as the tally keeps its first and last.
const CANONICAL = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.(\d{3}|\d{6}|\d{9})Z$/;

/** What is wrong with a saved tally's counts, and its first and last timestamps, if anything. */
export function countRunsProblem(tally: SavedTally): string | undefined {
  // The last day counted of each (channel, event): toCountRuns writes a name's runs together,
  // in the order of their days, apart. Each name is checked when first met.
  const lastOf = new Map<string, Map<string, number>>();
  let sum = 0;
  let firstCounted = Number.POSITIVE_INFINITY;
  let lastCounted = Number.NEGATIVE_INFINITY;
  for (const [channel, event, first, counts] of tally.counts) {
    let events = lastOf.get(channel);
    if (events === undefined) {
      if (!CHANNEL_PATTERN.test(channel)) return "its counts name a channel no event has";
      events = new Map();
      lastOf.set(channel, events);
    }
    const before = events.get(event);
    if (before === undefined && !isEventName(event)) {
      return "its counts name an event no event has";
    }
    const start = dayIndex(first);
    if (Number.isNaN(start)) return `its counts have no day ${first}`;
    const last = start + counts.length - 1;
    if (last > LAST_DAY) return `its counts from ${first} run past 9999-12-31`;
    if (before !== undefined && before >= start) {
      return `its counts of a day (${first}) are out of order or twice`;
    }
    events.set(event, last);
    for (let k = 0; k < counts.length; k++) {
      const n = counts[k] as number;
      if (n === 0) continue;
      sum += n;
      if (start + k < firstCounted) firstCounted = start + k;
      if (start + k > lastCounted) lastCounted = start + k;
    }
  }
  if (sum !== tally.valid)
    return `its counts add up to ${sum} events, not its ${tally.valid} valid`;
  return spanProblem(tally, firstCounted, lastCounted);
}

// The first and last timestamps: none without events, else on the first and last days counted.
function spanProblem(tally: SavedTally, firstDay: number, lastDay: number): string | undefined {
  const { first_timestamp: first, last_timestamp: last } = tally;
  if (tally.valid === 0) {
    return first === null && last === null ? undefined : "it has a time range but no events";
  }
  if (first === null || last === null || !CANONICAL.test(first) || !CANONICAL.test(last)) {
    return "its first or last timestamp is not a timestamp";
  }
  if (dayIndex(first.slice(0, 10)) !== firstDay || dayIndex(last.slice(0, 10)) !== lastDay) {
    return "its first or last timestamp is not on the first or last day it counts";
  }
  return compareTimestamps(first, last) <= 0 ? undefined : "its first timestamp is after its last";
}
