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
 * Counts events per (channel, event name, UTC day), the finest grain every report map derives
 * from; one nested lookup per event instead of one per map.
 */
export class EventCounts {
  private readonly counts = new Map<string, Map<string, Map<string, CountCell>>>();
  readonly versions = new Map<string, number>();

  addVersion(version: string, n: number): void {
    this.versions.set(version, (this.versions.get(version) ?? 0) + n);
  }

  /** The counter of one (channel, event, day), for callers that count many events into it. */
  cell(channel: string, event: string, day: string): CountCell {
    return dayCell(this.days(channel, event), day);
  }

  /** The counters of one (channel, event) by day, in the order the days were first counted. */
  days(channel: string, event: string): Map<string, CountCell> {
    let byEvent = this.counts.get(channel);
    if (byEvent === undefined) {
      byEvent = new Map();
      this.counts.set(channel, byEvent);
    }
    let byDay = byEvent.get(event);
    if (byDay === undefined) {
      byDay = new Map();
      byEvent.set(event, byDay);
    }
    return byDay;
  }

  /** Each (channel, event) with its counters by day. */
  *names(): Generator<[channel: string, event: string, byDay: Map<string, CountCell>]> {
    for (const [channel, byEvent] of this.counts) {
      for (const [event, byDay] of byEvent) yield [channel, event, byDay];
    }
  }

  /** Adds the counts of `other` (of this thread: no flat copy of them is made). */
  addAll(other: EventCounts): void {
    for (const [channel, event, byDay] of other.names()) {
      const mine = this.days(channel, event);
      for (const [day, cell] of byDay) dayCell(mine, day).n += cell.n;
    }
    for (const [version, n] of other.versions) this.addVersion(version, n);
  }

  /** Adds counts from another thread. */
  merge(packed: PackedCounts, versions: [string, number][]): void {
    const { names, days, cells } = packed;
    const byName: Map<string, CountCell>[] = [];
    for (let k = 0; k < names.length; k += 2) {
      byName.push(this.days(names[k] as string, names[k + 1] as string));
    }
    for (let k = 0; k < cells.length; k += 3) {
      const byDay = byName[cells[k] as number] as Map<string, CountCell>;
      dayCell(byDay, days[cells[k + 1] as number] as string).n += cells[k + 2] as number;
    }
    for (const [version, n] of versions) this.addVersion(version, n);
  }
}

/**
 * Every map of the report, unsorted, from the counts of some parts (a run's files) added up;
 * each part is read where it is, not first added into one (18,000 cells at 10M events, which
 * an incremental run did with code V8 had not optimized yet).
 */
export function rollUpCounts(parts: readonly EventCounts[]) {
  const byChannel = new Map<string, number>();
  const byEvent = new Map<string, number>();
  const byDay = new Map<string, number>();
  const byChannelEvent = new Map<string, Map<string, number>>();
  const byChannelDay = new Map<string, Map<string, number>>();
  const versions = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, n: number) =>
    map.set(key, (map.get(key) ?? 0) + n);
  const inner = (map: Map<string, Map<string, number>>, key: string) => {
    let m = map.get(key);
    if (m === undefined) {
      m = new Map();
      map.set(key, m);
    }
    return m;
  };
  for (const part of parts) {
    // Each (channel, event) once, its days in a loop.
    for (const [channel, event, days] of part.names()) {
      // A name with no day counted (a saved run of zeros) is not in the report.
      if (days.size === 0) continue;
      const channelDays = inner(byChannelDay, channel);
      let sum = 0;
      for (const [day, cell] of days) {
        sum += cell.n;
        add(channelDays, day, cell.n);
      }
      add(byChannel, channel, sum);
      add(byEvent, event, sum);
      add(inner(byChannelEvent, channel), event, sum);
    }
    for (const [version, n] of part.versions) add(versions, version, n);
  }
  // Each day's total from the channels' (a few hundred additions, not one per cell: the
  // report of a +1% run at 10M is built by code V8 has not optimized yet).
  for (const channelDays of byChannelDay.values()) {
    for (const [day, n] of channelDays) add(byDay, day, n);
  }
  return { byChannel, byEvent, byDay, byChannelEvent, byChannelDay, versions };
}

/** The counter of `day` in one (channel, event)'s counters by day. */
export function dayCell(byDay: Map<string, CountCell>, day: string): CountCell {
  let cell = byDay.get(day);
  if (cell === undefined) {
    cell = { n: 0 };
    byDay.set(day, cell);
  }
  return cell;
}
