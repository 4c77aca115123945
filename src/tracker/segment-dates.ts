import { lstat } from "node:fs/promises";
import { join } from "node:path";
import type { Segment } from "./segment-names.js";

/**
 * Remembers when this process first saw a date later than now. A segment's stamp or file time
 * after now (written while the clock was ahead, or a stamp pushed past such a one to keep names
 * in rotation order) tells nothing of when it happened: taken as it is, it would keep the
 * segment young, or not yet quiescent, until the clock got there, maybe a year later.
 */
export class FirstSeen {
  private readonly seen = new Map<string, number>();

  /** `time` when it is not after `now`; else when `key` was first seen with a future date. */
  date(key: string, time: number, now: number): number {
    if (time <= now) {
      this.seen.delete(key);
      return time;
    }
    // Never after now either, should the clock step back again.
    const first = Math.min(this.seen.get(key) ?? now, now);
    this.seen.set(key, first);
    return first;
  }

  /** Forgets the keys not in `keys` (segments gone): the map stays as small as the directory. */
  retain(keys: ReadonlySet<string>): void {
    for (const key of this.seen.keys()) if (!keys.has(key)) this.seen.delete(key);
  }
}

/**
 * When each of `segments` (oldest first) was rotated, for `maxAgeMs`: its stamp; for a stamp
 * later than `now`, its file's modification time (written at or after the rotation, so never
 * older than the segment), or if that is later than now too, when this process first saw it.
 * Names sort in rotation order, so a segment is never counted younger than one after it: a
 * restarted process that first sees a segment dated ahead still ages it by the ones after it.
 */
export async function rotationTimes(
  directory: string,
  segments: readonly Segment[],
  now: number,
  seen: FirstSeen,
): Promise<number[]> {
  const times: number[] = new Array(segments.length);
  let next = Number.POSITIVE_INFINITY;
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i] as Segment;
    let time = segment.rotatedAt;
    if (time > now) {
      const file = join(directory, segment.plain ? segment.name : `${segment.name}.gz`);
      const stat = await lstat(file).catch(() => undefined);
      time = seen.date(segment.name, stat?.mtimeMs ?? Number.POSITIVE_INFINITY, now);
    }
    next = Math.min(next, time);
    times[i] = next;
  }
  return times;
}
