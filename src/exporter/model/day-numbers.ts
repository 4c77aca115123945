// Days as numbers (days since 1970-01-01), which is how counts are kept: a run of consecutive
// days is an array, and the day after another is one more. Text only where a report or a state
// names a day. A run names the same few hundred days again and again, hence the caches.
import { dayFromEpochDays, epochDays, formatDay } from "../../schema/timestamp-parts.js";

const indexOf = new Map<string, number>();
const textOf = new Map<number, string>();
const CACHED = 4096;

/** The day `YYYY-MM-DD` (the text only: not checked) as the number YYYYMMDD. */
const dayNumber = (day: string) =>
  Number(day.slice(0, 4)) * 10_000 + Number(day.slice(5, 7)) * 100 + Number(day.slice(8, 10));

/** The days since 1970-01-01 of `day` (`YYYY-MM-DD`), or NaN when it names no day (2025-02-30). */
export function dayIndex(day: string): number {
  let index = indexOf.get(day);
  if (index === undefined) {
    index = epochDays(dayNumber(day));
    if (dayText(index) !== day) index = Number.NaN;
    if (indexOf.size >= CACHED) indexOf.clear();
    indexOf.set(day, index);
  }
  return index;
}

/** The text `YYYY-MM-DD` of the day `index` days after 1970-01-01. */
export function dayText(index: number): string {
  let text = textOf.get(index);
  if (text === undefined) {
    text = formatDay(dayFromEpochDays(index));
    if (textOf.size >= CACHED) textOf.clear();
    textOf.set(index, text);
  }
  return text;
}
