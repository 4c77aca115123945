import type { ScanResult } from "../contracts.js";
import type { SegmentResult } from "../engine/segment.js";
import { DiagnosticLog, missingInput } from "../model/diagnostics.js";
import { EventCounts } from "../model/event-counts.js";
import { FileTally } from "../model/file-tally.js";
import { sumTotals } from "../model/line-counts.js";
import type { FileInventory } from "../model/report-schema.js";
import type { SavedTally } from "../model/saved-tally.js";
import type { ReadPlan } from "../plan/run-plan.js";
import type { ScanPlan } from "../plan/scan-plan.js";

/**
 * Per input file: the tally of its complete lines (continuing the saved one) and of its last,
 * unfinished line (a `tail` result), so a run that reads only what was appended reports what a
 * full run would.
 */
export class FileTallies {
  readonly want = { counts: true };
  readonly committed: FileTally[];
  /** Bytes of the inputs really read by this run. */
  bytesRead = 0;
  private readonly tails: (FileTally | undefined)[];
  private readonly lineBase: number[];

  constructor(plan: ScanPlan, saved: ReadonlyMap<string, { readonly tally: SavedTally }>) {
    this.committed = plan.files.map((f) => {
      const state = saved.get(f.path);
      return state === undefined ? new FileTally() : FileTally.restore(state.tally);
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
   * the same bytes would give them; `read` is this run's scan, for each file's read error.
   */
  assemble(
    plan: ReadPlan,
    scanPlan: ScanPlan,
    read: ScanResult,
  ): { scan: ScanResult; counts: EventCounts } {
    const log = new DiagnosticLog(false, undefined);
    for (const path of plan.resolved.missing) log.add(missingInput(path));
    const counts = new EventCounts();
    const files: FileInventory[] = [];
    scanPlan.files.forEach((file, i) => {
      const committed = this.committed[i] as FileTally;
      const tail = this.tails[i];
      const tally = tail === undefined ? committed : committed.plus(tail);
      log.absorb(tally.log);
      counts.merge(tally.events.entries(), [...tally.events.versions]);
      files.push(tally.inventory(file.path, file.bytes, read.files[i]?.error));
    });
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
