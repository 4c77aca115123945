import { compareTimestamps } from "../../schema/timestamp.js";
import { addCountRuns, toCountRuns } from "./count-runs.js";
import {
  copyDiagnostic,
  type Diagnostic,
  type DiagnosticCode,
  DiagnosticLog,
  severityOf,
} from "./diagnostics.js";
import { EventCounts, type PackedCounts } from "./event-counts.js";
import { addLineCounts, type LineCounts, zeroCounts } from "./line-counts.js";
import type { FileInventory } from "./report-schema.js";
import type { SavedTally } from "./saved-tally.js";

/** What one read of a byte range contributes to a tally (a segment's result has these). */
export interface RangeTally extends Readonly<LineCounts> {
  readonly first: string | null;
  readonly last: string | null;
  readonly counts?: PackedCounts | undefined;
  readonly versions?: [string, number][] | undefined;
  readonly diagnostics: readonly Diagnostic[];
  readonly byCode: Partial<Record<DiagnosticCode, number>>;
}

/**
 * Everything one file (or a byte range of it) contributes to the aggregate report: line counts,
 * time range, event counts and diagnostics. Tallies of consecutive ranges add up to the tally of
 * the whole file, which is what lets an incremental run equal a full one.
 */
export class FileTally {
  readonly counters: LineCounts = zeroCounts();
  first: string | null = null;
  last: string | null = null;
  readonly events = new EventCounts();
  readonly log = new DiagnosticLog(false, undefined);

  /** Adds a segment's result; `lineBase` is the number of the file's lines before the segment. */
  add(result: RangeTally, lineBase: number): void {
    addLineCounts(this.counters, result);
    this.widen(result.first, result.last);
    if (result.counts !== undefined) this.events.merge(result.counts, result.versions ?? []);
    const detailed: Record<string, number> = {};
    for (const d of result.diagnostics) {
      detailed[d.code] = (detailed[d.code] ?? 0) + 1;
      this.log.add(d.line > 0 ? { ...d, line: d.line + lineBase } : d);
    }
    this.log.countRest(result.byCode, detailed);
  }

  /** This tally followed by `later` (the rest of the file), as a new tally. */
  plus(later: FileTally): FileTally {
    const sum = FileTally.restore(this.save());
    addLineCounts(sum.counters, later.counters);
    sum.widen(later.first, later.last);
    sum.events.addAll(later.events);
    sum.log.absorb(later.log);
    return sum;
  }

  private widen(first: string | null, last: string | null): void {
    const range = widenRange(this.first, this.last, first, last);
    this.first = range.first;
    this.last = range.last;
  }

  /** The inventory entry of a file with this tally. */
  inventory(path: string, bytes: number, error?: string): FileInventory {
    return {
      path,
      bytes,
      ...this.counters,
      first_timestamp: this.first,
      last_timestamp: this.last,
      ...(error === undefined ? {} : { error }),
    };
  }

  save(): SavedTally {
    return {
      ...this.counters,
      first_timestamp: this.first,
      last_timestamp: this.last,
      counts: toCountRuns(this.events),
      versions: [...this.events.versions],
      by_code: { ...this.log.byCode },
      kept: this.log.kept().map(copyDiagnostic),
    };
  }

  /** A saved tally; with `path`, its diagnostics name that path (the file was renamed since). */
  static restore(saved: SavedTally, path?: string): FileTally {
    const tally = new FileTally();
    addLineCounts(tally.counters, saved);
    tally.first = saved.first_timestamp;
    tally.last = saved.last_timestamp;
    addCountRuns(tally.events, saved.counts);
    for (const [version, n] of saved.versions) tally.events.addVersion(version, n);
    // The state was written by us from Diagnostic values; its codes are ours.
    for (const d of saved.kept)
      tally.log.keep((path === undefined ? d : { ...d, file: path }) as Diagnostic);
    for (const [code, n] of Object.entries(saved.by_code)) {
      tally.log.count(code as DiagnosticCode, severityOf(code as DiagnosticCode), n);
    }
    return tally;
  }
}

/** The time range from `first` to `last` widened to cover `from` to `to` (null: nothing yet). */
export function widenRange(
  first: string | null,
  last: string | null,
  from: string | null,
  to: string | null,
): { first: string | null; last: string | null } {
  return {
    first: from !== null && (first === null || compareTimestamps(from, first) < 0) ? from : first,
    last: to !== null && (last === null || compareTimestamps(to, last) > 0) ? to : last,
  };
}
