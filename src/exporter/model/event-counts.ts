import { dayIndex, dayText } from "./day-numbers.js";
import { type DayRun, mergeRuns } from "./day-runs.js";

/**
 * Counts as they travel between threads (see SegmentCounts): each name and day once, and the
 * cells as numbers in one typed array, which a thread's message copies as bytes. Cloning an
 * array per cell cost a reader thread about 4% of an `aggregate` run (a hundred cells in each
 * 4 MiB segment).
 */
export interface PackedCounts {
  /** Each (channel, event) counted: `[channel, event, channel, event, …]`. */
  readonly names: string[];
  /** Each day counted, `YYYY-MM-DD`. */
  readonly days: string[];
  /** Triples `[name, day, count]`: a name's index (a pair in {@link names}), a day's index. */
  readonly cells: Float64Array;
}

/** A mutable count. */
export interface CountCell {
  n: number;
}

/**
 * One (channel, event)'s counts: runs of consecutive days taken whole (a saved tally's, which
 * an incremental run restores for every file and saves again, most of them unchanged), and
 * counts added a day at a time (a segment's few days), folded into the runs when they are read.
 * Restoring a saved tally cell by cell into maps of days cost an incremental run at 10M events
 * about 15 ms, and saving it again as much (18,000 cells, in code V8 has not optimized).
 */
class NameCounts {
  /** In day order, apart (never adjacent), no count 0. */
  private runs: DayRun[] = [];
  // Made when a first cell is added: a state of thousands of files restores a name's runs for
  // each of them, most never added to (an empty map for each cost about 100 bytes).
  private added: Map<string, CountCell> | undefined;

  /** The counter of `day` (`YYYY-MM-DD`, a real day), to add to. */
  cell(day: string): CountCell {
    this.added ??= new Map();
    let cell = this.added.get(day);
    if (cell === undefined) {
      cell = { n: 0 };
      this.added.set(day, cell);
    }
    return cell;
  }

  /** Adds counts of consecutive days from `start`; the array is kept, not copied: not changed. */
  addRun(start: number, counts: readonly number[]): void {
    const last = this.runs[this.runs.length - 1];
    const end = last === undefined ? Number.NEGATIVE_INFINITY : last.start + last.counts.length;
    // A saved tally's runs come in day order, apart, without zeros: taken as they are.
    if (this.added === undefined && start > end && !counts.includes(0)) {
      this.runs.push({ start, counts });
      return;
    }
    for (let k = 0; k < counts.length; k++) {
      const n = counts[k] as number;
      if (n > 0) this.cell(dayText(start + k)).n += n;
    }
  }

  /** The counts as runs: in day order, apart, no count 0. */
  dayRuns(): readonly DayRun[] {
    if (this.added !== undefined) {
      const extra: [number, number][] = [];
      for (const [day, cell] of this.added) if (cell.n > 0) extra.push([dayIndex(day), cell.n]);
      extra.sort((a, b) => a[0] - b[0]);
      this.runs = mergeRuns(this.runs, extra);
      this.added = undefined;
    }
    return this.runs;
  }
}

/**
 * Counts events per (channel, event name, UTC day), the finest grain every report map derives
 * from; one nested lookup per event instead of one per map.
 */
export class EventCounts {
  private readonly counts = new Map<string, Map<string, NameCounts>>();
  readonly versions = new Map<string, number>();

  addVersion(version: string, n: number): void {
    this.versions.set(version, (this.versions.get(version) ?? 0) + n);
  }

  /** The counts of one (channel, event), made when first asked for. */
  private of(channel: string, event: string): NameCounts {
    let byEvent = this.counts.get(channel);
    if (byEvent === undefined) {
      byEvent = new Map();
      this.counts.set(channel, byEvent);
    }
    let name = byEvent.get(event);
    if (name === undefined) {
      name = new NameCounts();
      byEvent.set(event, name);
    }
    return name;
  }

  /** Adds `n` events of (channel, event) on `day` (`YYYY-MM-DD`). */
  add(channel: string, event: string, day: string, n: number): void {
    this.of(channel, event).cell(day).n += n;
  }

  /**
   * Adds counts of consecutive days from `start` (days since 1970-01-01; see day-numbers.ts);
   * `counts` is kept as it is and must not change. With no count above 0, the name is still
   * known (a saved run of zeros), and left out of the report.
   */
  addRun(channel: string, event: string, start: number, counts: readonly number[]): void {
    this.of(channel, event).addRun(start, counts);
  }

  /** Each (channel, event) with its counts as runs: in day order, apart, no count 0. */
  *names(): Generator<[channel: string, event: string, runs: readonly DayRun[]]> {
    for (const [channel, byEvent] of this.counts) {
      for (const [event, name] of byEvent) yield [channel, event, name.dayRuns()];
    }
  }

  /** Adds the counts of `other` (of this thread: no flat copy of them is made). */
  addAll(other: EventCounts): void {
    for (const [channel, event, runs] of other.names()) {
      const mine = this.of(channel, event);
      for (const run of runs) mine.addRun(run.start, run.counts);
    }
    for (const [version, n] of other.versions) this.addVersion(version, n);
  }

  /** Adds counts from another thread. */
  merge(packed: PackedCounts, versions: [string, number][]): void {
    const { names, days, cells } = packed;
    const byName: NameCounts[] = [];
    for (let k = 0; k < names.length; k += 2) {
      byName.push(this.of(names[k] as string, names[k + 1] as string));
    }
    for (let k = 0; k < cells.length; k += 3) {
      const name = byName[cells[k] as number] as NameCounts;
      name.cell(days[cells[k + 1] as number] as string).n += cells[k + 2] as number;
    }
    for (const [version, n] of versions) this.addVersion(version, n);
  }
}

/**
 * Every map of the report, unsorted, from the counts of some parts (a run's files) added up;
 * each part is read where it is, not first added into one. Days are numbers until the end: an
 * incremental run at 10M events rolls up 18,000 cells this way, in code V8 has not optimized.
 */
export function rollUpCounts(parts: readonly EventCounts[]) {
  const byChannel = new Map<string, number>();
  const byEvent = new Map<string, number>();
  const byChannelEvent = new Map<string, Map<string, number>>();
  const versions = new Map<string, number>();
  const totals = new Map<string, Map<number, number>>();
  const add = <K>(map: Map<K, number>, key: K, n: number) => map.set(key, (map.get(key) ?? 0) + n);
  for (const part of parts) {
    for (const [channel, event, runs] of part.names()) {
      // A name with no day counted (a saved run of zeros) is not in the report.
      if (runs.length === 0) continue;
      let channelDays = totals.get(channel);
      if (channelDays === undefined) {
        channelDays = new Map();
        totals.set(channel, channelDays);
      }
      let sum = 0;
      for (const { start, counts } of runs) {
        for (let k = 0; k < counts.length; k++) {
          const n = counts[k] as number;
          sum += n;
          add(channelDays, start + k, n);
        }
      }
      add(byChannel, channel, sum);
      add(byEvent, event, sum);
      let events = byChannelEvent.get(channel);
      if (events === undefined) {
        events = new Map();
        byChannelEvent.set(channel, events);
      }
      add(events, event, sum);
    }
    for (const [version, n] of part.versions) add(versions, version, n);
  }
  // Each day's total from the channels' (a few hundred additions, not one per cell).
  const byDay = new Map<string, number>();
  const byChannelDay = new Map<string, Map<string, number>>();
  for (const [channel, channelDays] of totals) {
    const days = new Map<string, number>();
    for (const [day, total] of channelDays) {
      const text = dayText(day);
      days.set(text, total);
      add(byDay, text, total);
    }
    byChannelDay.set(channel, days);
  }
  return { byChannel, byEvent, byDay, byChannelEvent, byChannelDay, versions };
}
