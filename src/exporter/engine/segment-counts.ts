import { utcDay } from "../../schema/timestamp.js";
import type { PackedCounts } from "../model/event-counts.js";

/**
 * A segment's counts per (channel, event name, UTC day), kept in the form they travel in to the
 * main thread ({@link PackedCounts}): each name and day once, each count a number in one array,
 * so that sending them walks no cells. Packing maps of cells took a reader thread a loop V8
 * optimized again in every thread (10 ms of compiling, for a hundred cells a segment).
 */
export class SegmentCounts {
  readonly versions = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly days: string[] = [];
  /** Triples `[name, day, count]`, in the order the cells were first counted. */
  private readonly cells: number[] = [];
  private readonly nameAt = new Map<string, Map<string, number>>();
  private readonly dayAt = new Map<string, number>();
  /** Per name: where each of its days' count is in {@link cells}. */
  private readonly countAt: Map<number, number>[] = [];

  /** Where the count of (channel, event, day) is, for {@link add}; `day` is `YYYY-MM-DD`. */
  slot(channel: string, event: string, day: string): number {
    let events = this.nameAt.get(channel);
    if (events === undefined) {
      events = new Map();
      this.nameAt.set(channel, events);
    }
    let name = events.get(event);
    if (name === undefined) {
      name = this.names.length >> 1;
      this.names.push(channel, event);
      events.set(event, name);
      this.countAt.push(new Map());
    }
    let d = this.dayAt.get(day);
    if (d === undefined) {
      d = this.days.length;
      this.days.push(day);
      this.dayAt.set(day, d);
    }
    const counts = this.countAt[name] as Map<number, number>;
    let at = counts.get(d);
    if (at === undefined) {
      at = this.cells.length + 2;
      this.cells.push(name, d, 0);
      counts.set(d, at);
    }
    return at;
  }

  /** Adds `n` to the count at `at` (from {@link slot}). */
  add(at: number, n: number): void {
    (this.cells[at] as number) += n;
  }

  /** Counts one event known by its fields (it may come from a line that was never parsed). */
  addFields(version: string, channel: string, event: string, timestamp: string): void {
    this.add(this.slot(channel, event, utcDay(timestamp)), 1);
    this.addVersion(version, 1);
  }

  addVersion(version: string, n: number): void {
    this.versions.set(version, (this.versions.get(version) ?? 0) + n);
  }

  /** The counts, as the main thread's EventCounts.merge takes them. */
  pack(): PackedCounts {
    return { names: [...this.names], days: [...this.days], cells: Float64Array.from(this.cells) };
  }
}
