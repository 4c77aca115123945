import { availableParallelism } from "node:os";
import { TelemetryError } from "../../errors/index.js";
import type { TelemetryEvent } from "../../schema/index.js";
import { compareTimestamps } from "../../schema/timestamp.js";
import {
  DEFAULT_INPUTS,
  DEFAULT_MAX_LINE_BYTES,
  type EngineTuning,
  type EventVisitor,
  type ReadOptions,
  type ScanResult,
} from "../contracts.js";
import {
  type Diagnostic,
  type DiagnosticCode,
  DiagnosticLog,
  missingInput,
  severityOf,
} from "../model/diagnostics.js";
import { compileFilters, hasFilters } from "../model/filters.js";
import { addLineCounts, sumTotals, zeroCounts } from "../model/line-counts.js";
import type { FileInventory } from "../model/report-schema.js";
import { checkWorkers } from "../plan/check-workers.js";
import { planSegments } from "../plan/plan-segments.js";
import { resolveInputs } from "../plan/resolve-inputs.js";
import type { ResumeOptions } from "../plan/resume.js";
import type { SegmentResult, SegmentTask, Want } from "./segment.js";
import { WorkerPool } from "./worker-pool.js";

/** Receives each segment's result, in input order. */
export type SegmentConsumer = (result: SegmentResult) => Promise<void> | void;

type MutableInventory = { -readonly [K in keyof FileInventory]: FileInventory[K] };

// Below this much input, worker start-up costs more than it saves.
const PARALLEL_MIN_BYTES = 32 * 1024 * 1024;
const DEFAULT_SEGMENT_BYTES = 4 * 1024 * 1024;

/**
 * Reads every input once: validates each line, reports diagnostics, and passes valid events
 * (after filters) on. With `visitors`, each event is passed to them in this thread; otherwise
 * segments may be read by worker threads and their results merged here, in input order.
 */
export async function runScan(
  options: ReadOptions & EngineTuning,
  want: Want,
  consume: SegmentConsumer | undefined,
  visitors: readonly EventVisitor[] = [],
  resume?: ResumeOptions,
): Promise<ScanResult> {
  const inputs = options.inputs?.length ? options.inputs : DEFAULT_INPUTS;
  const strict = options.strict ?? false;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  if (!Number.isSafeInteger(maxLineBytes) || maxLineBytes < 1) {
    throw new TelemetryError("usage", "--max-line-bytes must be a positive integer");
  }
  const requestedWorkers = checkWorkers(options.workers);
  // Fail on bad filters before reading anything.
  compileFilters(options.filters);
  const log = new DiagnosticLog(strict, options.onDiagnostic);
  const { files: paths, missing } = resume?.resolved ?? resolveInputs(inputs);
  for (const path of missing) {
    if (strict) throw new TelemetryError("input_error", `input not found: ${path} (--strict)`);
    log.add(missingInput(path));
  }
  const { files, segments } = planSegments(
    paths,
    options.segmentBytes ?? DEFAULT_SEGMENT_BYTES,
    resume?.plan,
  );
  resume?.onPlan?.(files);
  const inventories: MutableInventory[] = files.map((f) => ({
    path: f.path,
    bytes: f.bytes,
    ...zeroCounts(),
    first_timestamp: null,
    last_timestamp: null,
  }));
  const totalBytes = files.reduce((sum, f) => sum + f.bytes - (f.start ?? 0), 0);
  const lineBase = files.map((f) => resume?.lineBase.get(f.path) ?? 0);
  const fullWant: Want = {
    ...want,
    allDiagnostics: want.allDiagnostics || strict || options.onDiagnostic !== undefined,
  };
  const tasks: SegmentTask[] = segments.map((segment) => ({
    segment,
    want: fullWant,
    maxLineBytes,
    filters: options.filters,
  }));
  let bytesRead = 0;
  let lines = 0;
  let events = 0;

  const merge = async (result: SegmentResult) => {
    const inv = inventories[result.fileIndex] as MutableInventory;
    const base = lineBase[result.fileIndex] as number;
    const detailed: Record<string, number> = {};
    for (const d of result.diagnostics) {
      detailed[d.code] = (detailed[d.code] ?? 0) + 1;
      const shifted: Diagnostic = d.line > 0 ? { ...d, line: d.line + base } : d;
      if (strict && d.code === "unreadable_file") {
        throw new TelemetryError("input_error", `${d.file}: ${d.message} (--strict)`);
      }
      log.add(shifted);
    }
    for (const [code, n] of Object.entries(result.byCode)) {
      const rest = n - (detailed[code] ?? 0);
      if (rest > 0) log.count(code as DiagnosticCode, severityOf(code as DiagnosticCode), rest);
    }
    lineBase[result.fileIndex] = base + result.lines;
    addLineCounts(inv, result);
    if (
      result.first !== null &&
      (inv.first_timestamp === null || compareTimestamps(result.first, inv.first_timestamp) < 0)
    ) {
      inv.first_timestamp = result.first;
    }
    if (
      result.last !== null &&
      (inv.last_timestamp === null || compareTimestamps(result.last, inv.last_timestamp) > 0)
    ) {
      inv.last_timestamp = result.last;
    }
    if (result.error !== undefined) inv.error = result.error.message;
    bytesRead += result.bytes;
    lines += result.lines;
    events += result.valid;
    await consume?.(result);
    options.onProgress?.({ bytesRead, totalBytes, lines, events });
  };

  const workers =
    visitors.length > 0
      ? 0
      : (requestedWorkers ??
        (totalBytes >= PARALLEL_MIN_BYTES ? Math.min(availableParallelism(), 4) : 0));
  if (workers > 0 && tasks.length > 1) {
    const pool = new WorkerPool(Math.min(workers, tasks.length), maxLineBytes);
    try {
      await pool.map(tasks, merge);
    } finally {
      await pool.close();
    }
  } else {
    const drainers = visitors.filter((v) => v.drain !== undefined);
    const hooks =
      visitors.length === 0
        ? {}
        : {
            event: (e: TelemetryEvent) => {
              for (const v of visitors) v.event(e);
            },
            chunkDone: async () => {
              for (const v of drainers) await v.drain?.();
            },
          };
    // Loaded here: with workers, this thread never reads a line, nor loads the validators.
    const { processSegment } = await import("./process-segment.js");
    let spare: ArrayBuffer | undefined;
    for (const task of tasks) {
      const result = await processSegment(task, hooks, spare);
      spare = undefined;
      const text = result.text;
      const releaseText = () => {
        spare = text?.buffer as ArrayBuffer;
      };
      await merge(text === undefined ? result : { ...result, releaseText });
    }
  }

  for (const inv of inventories) {
    if (inv.lines !== inv.valid + inv.invalid + inv.blank + inv.filtered) {
      throw new TelemetryError(
        "inconsistent_counts",
        `${inv.path}: ${inv.lines} lines but ${inv.valid} valid + ${inv.invalid} invalid + ${inv.blank} blank + ${inv.filtered} filtered`,
      );
    }
  }
  return {
    inputs,
    files: inventories,
    missing,
    totals: sumTotals(inventories),
    filtered: hasFilters(options.filters),
    diagnostics: log,
  };
}
