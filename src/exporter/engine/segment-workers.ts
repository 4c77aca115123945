import type { Worker } from "node:worker_threads";
import { startWorker } from "./start-worker.js";

/** Below this much input, worker start-up costs more than it saves. */
export const PARALLEL_MIN_BYTES = 32 * 1024 * 1024;

// A worker holds one segment's data at a time; a small old generation makes it collect early
// instead of growing (peak RSS is a target). The longest line allowed sets the floor: parsing a
// line takes several times its size in heap.
function limitsFor(maxLineBytes: number) {
  const lineMiB = Math.ceil(maxLineBytes / (1024 * 1024));
  return { maxOldGenerationSizeMb: 48 + 16 * lineMiB, maxYoungGenerationSizeMb: 8 };
}

interface EarlyWorker {
  readonly worker: Worker;
  readonly maxLineBytes: number;
  failed: boolean;
  readonly onEnd: () => void;
}

// Started before the run was planned and not taken by a pool yet.
const early: EarlyWorker[] = [];

/**
 * Starts `count` segment workers now, before the run is planned: a worker spends tens of
 * milliseconds loading its modules, which then overlaps with this thread loading its own and
 * planning. They do not keep the process alive until a pool takes them ({@link takeSegmentWorker});
 * `maxLineBytes` must be the run's, or they are not taken.
 */
export function startSegmentWorkersEarly(count: number, maxLineBytes: number): Worker[] {
  const started: Worker[] = [];
  for (let i = 0; i < count; i++) {
    const worker = startWorker(import.meta.url, "./segment-worker", limitsFor(maxLineBytes));
    worker.unref();
    // Nobody else listens yet: an error must mark it, not crash the process.
    const entry: EarlyWorker = {
      worker,
      maxLineBytes,
      failed: false,
      onEnd: () => {
        entry.failed = true;
      },
    };
    worker.on("error", entry.onEnd);
    worker.on("exit", entry.onEnd);
    early.push(entry);
    started.push(worker);
  }
  return started;
}

/** A segment worker: one started early for these limits if there is one, else a new one. */
export function takeSegmentWorker(maxLineBytes: number): Worker {
  for (;;) {
    const index = early.findIndex((e) => e.maxLineBytes === maxLineBytes);
    if (index < 0) break;
    const [entry] = early.splice(index, 1) as [EarlyWorker];
    entry.worker.off("error", entry.onEnd);
    entry.worker.off("exit", entry.onEnd);
    if (entry.failed) continue;
    entry.worker.ref();
    return entry.worker;
  }
  return startWorker(import.meta.url, "./segment-worker", limitsFor(maxLineBytes));
}

/** Stops the workers started early that no pool took (the run reads in one thread). */
export async function dropEarlyWorkers(): Promise<void> {
  const left = early.splice(0);
  await Promise.all(left.map((e) => e.worker.terminate()));
}

/** How many workers started early wait to be taken. */
export function earlyWorkerCount(): number {
  return early.length;
}
