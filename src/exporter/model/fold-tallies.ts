// Several files' saved tallies as one: what a rollup of archived files keeps (see
// state/fold-archived.ts). Counts, time ranges and diagnostic counts add up; of the diagnostics
// kept, the rollup keeps the ones a report would keep reading the files one after another, in
// that order, so that its samples and examples are a full run's.
import { addCountRuns, toCountRuns } from "./count-runs.js";
import { EXAMPLES_PER_CODE, SAMPLE_DIAGNOSTICS } from "./diagnostics.js";
import { EventCounts } from "./event-counts.js";
import { widenRange } from "./file-tally.js";
import { addLineCounts, zeroCounts } from "./line-counts.js";
import type { ReportDiagnostic } from "./report-schema.js";
import type { SavedTally } from "./saved-tally.js";

/**
 * The tally of `tallies` read one after another (in input order), its `kept` diagnostics in that
 * order too: a rollup's are of several files, and a file's line numbers do not order them.
 */
export function foldTallies(tallies: readonly SavedTally[]): SavedTally {
  const counters = zeroCounts();
  let range: { first: string | null; last: string | null } = { first: null, last: null };
  const events = new EventCounts();
  const byCode: Record<string, number> = {};
  const kept: ReportDiagnostic[] = [];
  let samples = 0;
  const examples = new Map<string, number>();
  for (const tally of tallies) {
    addLineCounts(counters, tally);
    range = widenRange(range.first, range.last, tally.first_timestamp, tally.last_timestamp);
    addCountRuns(events, tally.counts);
    for (const [version, n] of tally.versions) events.addVersion(version, n);
    for (const [code, n] of Object.entries(tally.by_code)) byCode[code] = (byCode[code] ?? 0) + n;
    // As DiagnosticLog.keep decides: a sample while there is room, or one of its code's first.
    for (const d of tally.kept) {
      const ofCode = examples.get(d.code) ?? 0;
      if (samples >= SAMPLE_DIAGNOSTICS && ofCode >= EXAMPLES_PER_CODE) continue;
      if (samples < SAMPLE_DIAGNOSTICS) samples++;
      if (ofCode < EXAMPLES_PER_CODE) examples.set(d.code, ofCode + 1);
      kept.push(d);
    }
  }
  return {
    ...counters,
    first_timestamp: range.first,
    last_timestamp: range.last,
    counts: toCountRuns(events),
    versions: [...events.versions],
    by_code: byCode,
    kept,
  };
}

/** A saved tally whose kept diagnostics name their files as `rename` calls them now. */
export function renameTally(tally: SavedTally, rename: (file: string) => string): SavedTally {
  return { ...tally, kept: tally.kept.map((d) => ({ ...d, file: rename(d.file) })) };
}
