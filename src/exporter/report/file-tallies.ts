import type { ScanResult } from "../contracts.js";
import type { SegmentResult } from "../engine/segment.js";
import { type Diagnostic, DiagnosticLog, missingInput } from "../model/diagnostics.js";
import type { EventCounts } from "../model/event-counts.js";
import { FileTally } from "../model/file-tally.js";
import { sumTotals } from "../model/line-counts.js";
import type { FileInventory } from "../model/report-schema.js";
import type { SavedTally } from "../model/saved-tally.js";
import { compareInputPaths } from "../plan/rotated-names.js";
import type { ReadPlan } from "../plan/run-plan.js";
import type { ScanPlan } from "../plan/scan-plan.js";

/** A file read to its end by an earlier run and since deleted, as the state keeps it. */
export interface ArchivedTally {
  readonly path: string;
  readonly identity: { readonly size: number };
  readonly tally: SavedTally;
}

/** Archived files of one channel folded into one entry (state/fold-archived.ts). */
export interface FoldedTallies {
  readonly first_path: string;
  readonly last_path: string;
  readonly files: number;
  readonly bytes: number;
  readonly tally: SavedTally;
}

/**
 * Per input file: the tally of its complete lines (continuing the saved one) and of its last,
 * unfinished line (a `tail` result), so a run that reads only what was appended reports what a
 * full run would. Archived files count as they were when last read, in their place in the order;
 * folded ones as one entry, in the place of the oldest of them.
 */
export class FileTallies {
  readonly want = { counts: true };
  readonly committed: FileTally[];
  /** Bytes of the inputs really read by this run. */
  bytesRead = 0;
  private readonly tails: (FileTally | undefined)[];
  private readonly lineBase: number[];

  constructor(
    plan: ScanPlan,
    saved: ReadonlyMap<string, { readonly tally: SavedTally }>,
    private readonly archived: readonly ArchivedTally[] = [],
    private readonly folded: readonly FoldedTallies[] = [],
  ) {
    // A renamed file's diagnostics name it as it is called now, as a full run would.
    this.committed = plan.files.map((f) => {
      const state = saved.get(f.path);
      return state === undefined ? new FileTally() : FileTally.restore(state.tally, f.path);
    });
    this.tails = plan.files.map(() => undefined);
    this.lineBase = [...plan.lineBase];
  }

  accept(result: SegmentResult): void {
    const i = result.fileIndex;
    this.bytesRead += result.bytes;
    const base = this.lineBase[i] as number;
    this.lineBase[i] = base + result.lines;
    if (result.tail !== true) {
      (this.committed[i] as FileTally).add(result, base);
      return;
    }
    const tally = new FileTally();
    tally.add(result, base);
    this.tails[i] = tally;
  }

  /**
   * The scan result and counts of whole files (saved, read now, and tails), as a full read of
   * the same bytes would give them, the counts file by file; `read` is this run's scan, for each
   * file's read error.
   */
  assemble(
    plan: ReadPlan,
    scanPlan: ScanPlan,
    read: ScanResult,
  ): { scan: ScanResult; counts: EventCounts[] } {
    const log = new DiagnosticLog(false, undefined);
    for (const path of plan.resolved.missing) log.add(missingInput(path));
    const counts: EventCounts[] = [];
    const files: FileInventory[] = [];
    const entries = [
      ...scanPlan.files.map((file, i) => {
        const committed = this.committed[i] as FileTally;
        const tail = this.tails[i];
        const tally = tail === undefined ? committed : committed.plus(tail);
        const entry = tally.inventory(file.path, file.bytes, read.files[i]?.error);
        return { tally, entry, kept: undefined };
      }),
      ...this.archived.map((a) => {
        const tally = FileTally.restore(a.tally, a.path);
        const entry = { ...tally.inventory(a.path, a.identity.size), archived: true as const };
        return { tally, entry, kept: undefined };
      }),
      ...this.folded.map((f) => {
        const tally = FileTally.restore(f.tally);
        const folded = { files: f.files, last_path: f.last_path };
        const entry = {
          ...tally.inventory(f.first_path, f.bytes),
          archived: true as const,
          folded,
        };
        // Of several files: their order, not their line numbers, orders their diagnostics.
        return { tally, entry, kept: f.tally.kept as readonly Diagnostic[] };
      }),
    ];
    // Files read are in input order already; archived ones take their place among them (the
    // sort is stable: a present file before an archived one of the same name).
    if (this.archived.length > 0 || this.folded.length > 0) {
      entries.sort((a, b) => compareInputPaths(a.entry.path, b.entry.path));
    }
    for (const { tally, entry, kept } of entries) {
      log.absorb(tally.log, kept);
      counts.push(tally.events);
      files.push(entry);
    }
    const totals = sumTotals(files);
    return {
      scan: {
        inputs: plan.inputs,
        files,
        missing: plan.resolved.missing,
        totals,
        filtered: read.filtered,
        diagnostics: log,
      },
      counts,
    };
  }
}
