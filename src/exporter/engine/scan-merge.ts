import { TelemetryError } from "../../errors/index.js";
import type { ScanProgress, ScanResult } from "../contracts.js";
import { type DiagnosticLog, missingInput } from "../model/diagnostics.js";
import { widenRange } from "../model/file-tally.js";
import { hasFilters } from "../model/filters.js";
import { addLineCounts, sumTotals, zeroCounts } from "../model/line-counts.js";
import type { FileInventory } from "../model/report-schema.js";
import type { ReadPlan } from "../plan/run-plan.js";
import { isTail, type ScanPlan } from "../plan/scan-plan.js";
import type { SegmentResult } from "./segment.js";

type MutableInventory = { -readonly [K in keyof FileInventory]: FileInventory[K] };

/**
 * Folds segment results, in input order, into the scan's per-file inventory and diagnostics,
 * and marks each result that holds a file's unfinished last line (`tail`).
 */
export class ScanMerge {
  private readonly inventories: MutableInventory[];
  private readonly lineBase: number[];
  private readonly progress: { -readonly [K in keyof ScanProgress]: number };

  constructor(
    private readonly read: ReadPlan,
    private readonly plan: ScanPlan,
    private readonly log: DiagnosticLog,
  ) {
    for (const path of read.resolved.missing) log.add(missingInput(path));
    this.inventories = plan.files.map((f) => ({
      path: f.path,
      bytes: f.bytes,
      ...zeroCounts(),
      first_timestamp: null,
      last_timestamp: null,
    }));
    this.lineBase = [...plan.lineBase];
    const totalBytes = plan.files.reduce((sum, f) => sum + f.bytes - (f.start ?? 0), 0);
    this.progress = { bytesRead: 0, totalBytes, lines: 0, events: 0 };
  }

  /** Bytes the scan will read. */
  get totalBytes(): number {
    return this.progress.totalBytes;
  }

  /** Adds a result to its file's inventory; returns it marked as a tail or not. */
  add(result: SegmentResult): SegmentResult {
    const inv = this.inventories[result.fileIndex] as MutableInventory;
    const base = this.lineBase[result.fileIndex] as number;
    const detailed: Record<string, number> = {};
    for (const d of result.diagnostics) {
      detailed[d.code] = (detailed[d.code] ?? 0) + 1;
      if (this.read.strict && d.code === "unreadable_file") {
        throw new TelemetryError("input_error", `${d.file}: ${d.message} (\`strict\`)`);
      }
      this.log.add(d.line > 0 ? { ...d, line: d.line + base } : d);
    }
    this.log.countRest(result.byCode, detailed);
    this.lineBase[result.fileIndex] = base + result.lines;
    addLineCounts(inv, result);
    const range = widenRange(inv.first_timestamp, inv.last_timestamp, result.first, result.last);
    inv.first_timestamp = range.first;
    inv.last_timestamp = range.last;
    if (result.error !== undefined) inv.error = result.error.message;
    this.progress.bytesRead += result.bytes;
    this.progress.lines += result.lines;
    this.progress.events += result.valid;
    const tail = isTail(this.plan.files[result.fileIndex], result.start);
    return tail ? { ...result, tail } : result;
  }

  /** Reports progress after a result. */
  report(): void {
    this.read.onProgress?.({ ...this.progress });
  }

  /** The scan's result, after checking that every file's line counts add up. */
  result(): ScanResult {
    for (const inv of this.inventories) {
      if (inv.lines !== inv.valid + inv.invalid + inv.blank + inv.filtered) {
        throw new TelemetryError(
          "inconsistent_counts",
          `${inv.path}: ${inv.lines} lines but ${inv.valid} valid + ${inv.invalid} invalid + ${inv.blank} blank + ${inv.filtered} filtered`,
        );
      }
    }
    return {
      inputs: this.read.inputs,
      files: this.inventories,
      missing: this.read.resolved.missing,
      totals: sumTotals(this.inventories),
      filtered: hasFilters(this.read.filters),
      diagnostics: this.log,
    };
  }
}
