import type { TelemetryEvent } from "../../schema/index.js";
import type { EventVisitor, ScanResult } from "../contracts.js";
import { DiagnosticLog } from "../model/diagnostics.js";
import type { ReadPlan } from "../plan/run-plan.js";
import { planScan, type ScanPlan } from "../plan/scan-plan.js";
import { changedWhileRead, unreadGone, withChange } from "./changed-while-read.js";
import { workersWithinDescriptors } from "./descriptor-budget.js";
import { settleFragment } from "./live-fragment.js";
import { ScanMerge } from "./scan-merge.js";
import type { SegmentResult, SegmentTask, Want } from "./segment.js";
import { SharedDescriptors } from "./shared-descriptors.js";
import { WorkerPool } from "./worker-pool.js";

/** Receives each segment's result, in input order (a file's unfinished last line has `tail`). */
export type SegmentConsumer = (result: SegmentResult) => Promise<void> | void;

/**
 * Reads the files the plan resolved, once: validates each line, reports diagnostics, and passes
 * valid events (after filters) on. With `visitors`, each event is passed to them in this thread;
 * otherwise segments may be read by worker threads and their results merged here, in input order.
 */
export async function runScan(
  read: ReadPlan,
  want: Want,
  consume: SegmentConsumer | undefined,
  visitors: readonly EventVisitor[] = [],
  plan: ScanPlan = planScan(read),
): Promise<ScanResult> {
  const log = new DiagnosticLog(read.strict, read.onDiagnostic);
  const merge = new ScanMerge(read, plan, log);
  const fullWant: Want = {
    ...want,
    allDiagnostics: want.allDiagnostics || read.strict || read.onDiagnostic !== undefined,
  };
  const tasks: SegmentTask[] = plan.segments.map((segment) => ({
    segment,
    want: fullWant,
    maxLineBytes: read.maxLineBytes,
    filters: read.filters,
  }));
  const descriptors = new SharedDescriptors(plan);
  const prepare = (task: SegmentTask) => descriptors.prepare(task);
  // Each file's last segment: once it is read (results arrive in input order), so is the file.
  const lastSegment = new Map(plan.segments.map((s) => [s.fileIndex, s.index]));
  const accept = async (segment: SegmentResult) => {
    descriptors.read(segment.index);
    const file = plan.files[segment.fileIndex];
    // A file compressed meanwhile is complete: its final fragment was read whole from the .gz.
    let result = descriptors.compressed(segment.fileIndex)
      ? segment
      : await settleFragment(segment, file, read.clock, descriptors.get(segment.fileIndex));
    const last = lastSegment.get(result.fileIndex) === result.index;
    // Compressed since it was planned: the .gz was found by the file's first bytes.
    const compressed = descriptors.compressed(result.fileIndex);
    if (file !== undefined && result.error === undefined && last && !compressed) {
      // Found gone when planned or opened: its warning says so, once; the file is still not
      // read to its end.
      if (file.vanished !== undefined || descriptors.vanished(result.fileIndex)) {
        result = unreadGone(result, file);
      } else if (!descriptors.deleted(result.fileIndex)) {
        // (A named file deleted since it was planned: its first segment's error names it.)
        const why = changedWhileRead(file, descriptors.get(result.fileIndex));
        if (why) result = withChange(result, file, why);
      }
    }
    if (last) descriptors.release(result.fileIndex);
    const marked = merge.add(result);
    await consume?.(marked);
    merge.report();
  };
  // Visitors are called in this thread, with every event: then it reads every segment itself.
  // As many as asked for, unless the descriptor limit holds fewer (see descriptor-budget.ts).
  const workers = visitors.length > 0 ? 0 : workersWithinDescriptors(plan.workers);
  try {
    if (workers > 0) {
      const pool = new WorkerPool(workers, read.maxLineBytes);
      try {
        await pool.map(tasks, accept, prepare);
      } finally {
        await pool.close();
      }
    } else {
      await readInThread(tasks, visitors, accept, prepare);
    }
  } finally {
    descriptors.closeAll();
  }
  return merge.result();
}

// Reads every task in this thread, passing each event to the visitors.
async function readInThread(
  tasks: readonly SegmentTask[],
  visitors: readonly EventVisitor[],
  accept: (result: SegmentResult) => Promise<void>,
  prepare: (task: SegmentTask) => SegmentTask,
): Promise<void> {
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
  // Memory of texts already written, for the next segments.
  const spares: ArrayBufferLike[] = [];
  // Without visitors, a segment's output is written (on the thread pool) while the next segment
  // is read here; segments are accepted one at a time, in order. Visitors see every event as it
  // is read: with them, each segment is accepted, its diagnostics reported, before the next.
  const overlap = visitors.length === 0;
  let accepting: Promise<void> = Promise.resolve();
  try {
    for (const task of tasks) {
      const result = await processSegment(prepare(task), hooks, spares.pop());
      await accepting;
      const text = result.text;
      const releaseText = () => {
        if (text !== undefined) spares.push(text.buffer);
      };
      accepting = accept(text === undefined ? result : { ...result, releaseText });
      // Awaited before the next segment is accepted, or below; a failure must not go unhandled
      // while the next segment is read.
      accepting.catch(() => undefined);
      if (!overlap) await accepting;
    }
  } catch (error) {
    await accepting.catch(() => undefined);
    throw error;
  }
  await accepting;
}
