import type { Worker } from "node:worker_threads";
import type { TelemetryError } from "../../errors/index.js";
import { readerStopped, segmentFailed } from "./reader-stopped.js";
import type { SegmentRequest, SegmentResult, SegmentTask } from "./segment.js";
import { movable } from "./segment-memory.js";
import { startWorker } from "./start-worker.js";

interface Job {
  readonly task: SegmentTask;
  readonly resolve: (result: SegmentResult) => void;
  readonly reject: (error: unknown) => void;
}

type SegmentReply = { ok: true; result: SegmentResult } | { ok: false; message: string };
/** What a reader thread posts: once `ready` (its code loaded), then one reply a segment. */
type Reply = SegmentReply | { ready: true };

// A worker holds one segment's data at a time; a small old generation makes it collect early
// instead of growing (peak RSS is a target). The longest line allowed sets the floor: parsing a
// line takes several times its size in heap.
function limitsFor(maxLineBytes: number) {
  const lineMiB = Math.ceil(maxLineBytes / (1024 * 1024));
  return { maxOldGenerationSizeMb: 48 + 16 * lineMiB, maxYoungGenerationSizeMb: 8 };
}

/**
 * Worker threads that process segments; results are delivered in task order. The threads are a
 * speed-up only: one that cannot start is dropped and its segment handed to another, or, with
 * none left, read in this thread. One that ends after it started fails the run (see
 * reader-stopped.ts). A segment's result is taken once, whole, so none is taken twice or lost.
 */
export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly queue: Job[] = [];
  /** Threads started or starting, not yet found unable to start. */
  private readonly live = new Set<Worker>();
  private readonly ready = new Set<Worker>();
  private readonly workers: Worker[] = [];
  // Text memory written out and handed back, for the next tasks: the main thread would otherwise
  // hold it as garbage until its (small) heap is collected, more of it the longer the input.
  private readonly spares: ArrayBufferLike[] = [];
  private readonly spareLimit: number;
  /** Tasks in flight at most: two a thread (this one's, once none could start). */
  private window: number;
  private readingHere = false;
  private closing = false;
  private failure: TelemetryError | undefined;

  constructor(size: number, maxLineBytes: number) {
    for (let i = 0; i < size; i++) {
      let worker: Worker;
      try {
        worker = startWorker(import.meta.url, "./segment-worker", limitsFor(maxLineBytes));
      } catch {
        // The OS refused the thread (EAGAIN, ENOMEM: ERR_WORKER_INIT_FAILED): one fewer.
        continue;
      }
      worker.on("message", (reply: Reply) => {
        if ("ready" in reply) this.ready.add(worker);
        else this.settle(worker, reply);
      });
      worker.on("error", (error) => this.ended(worker, error));
      // A worker that ends on its own (out of memory, for one) must fail the run, not stall it.
      worker.on("exit", (code) => this.ended(worker, new Error(`worker exited with code ${code}`)));
      this.workers.push(worker);
      this.live.add(worker);
      this.idle.push(worker);
    }
    this.window = Math.max(1, this.live.size) * 2;
    this.spareLimit = size * 4;
  }

  /**
   * Runs every task, at most two a thread at a time, and hands each result to `consume` in task
   * order, awaiting it before more are started (so output keeps memory bounded). `prepare`
   * completes a task when it is started.
   */
  async map(
    tasks: readonly SegmentTask[],
    consume: (result: SegmentResult) => Promise<void>,
    prepare: (task: SegmentTask) => SegmentTask = (task) => task,
  ): Promise<void> {
    const pending: (Promise<SegmentResult> | undefined)[] = [];
    let next = 0;
    const launch = (consumed: number) => {
      while (next < tasks.length && next - consumed < this.window) {
        const promise = this.run(prepare(tasks[next] as SegmentTask));
        // Handled when consumed; silence until then so an early failure is not "unhandled".
        promise.catch(() => undefined);
        pending[next++] = promise;
      }
    };
    launch(0);
    for (let i = 0; i < tasks.length; i++) {
      const result = await (pending[i] as Promise<SegmentResult>);
      pending[i] = undefined;
      await consume(result);
      launch(i + 1);
    }
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private run(task: SegmentTask): Promise<SegmentResult> {
    return new Promise((resolve, reject) => {
      if (this.failure !== undefined) {
        reject(this.failure);
        return;
      }
      this.queue.push({ task, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop() as Worker;
      const job = this.queue.shift() as Job;
      this.busy.set(worker, job);
      const spare = this.spares.pop();
      const request: SegmentRequest =
        spare === undefined ? { task: job.task } : { task: job.task, spare };
      worker.postMessage(request, movable(spare === undefined ? [] : [spare]));
    }
    if (this.live.size === 0 && !this.readingHere) void this.readHere();
  }

  private settle(worker: Worker, reply: SegmentReply): void {
    const job = this.busy.get(worker);
    this.busy.delete(worker);
    this.idle.push(worker);
    if (job !== undefined) {
      if (reply.ok) job.resolve(this.withRelease(reply.result));
      else job.reject(segmentFailed(reply.message));
    }
    this.dispatch();
  }

  // No thread could start: the queued segments are read here, one at a time, as map hands them
  // out (two ahead of the one consumed), by the same code the threads run.
  private async readHere(): Promise<void> {
    this.readingHere = true;
    const { processSegment } = await import("./process-segment.js");
    for (let job = this.queue.shift(); job !== undefined; job = this.queue.shift()) {
      if (this.closing) return;
      try {
        job.resolve(this.withRelease(await processSegment(job.task, {}, this.spares.pop())));
      } catch (error) {
        job.reject(segmentFailed(error instanceof Error ? error.message : String(error)));
      }
    }
    this.readingHere = false;
  }

  private withRelease(result: SegmentResult): SegmentResult {
    // Up to four a worker: the Parquet encoder hands memory back in bursts (a row group's blocks
    // at once), and what does not fit here is freed and allocated again, fragmenting the heap.
    const recycle = (memory: ArrayBufferLike) => {
      if (this.spares.length < this.spareLimit) this.spares.push(memory);
    };
    const text = result.text;
    if (text === undefined) return { ...result, recycle };
    return { ...result, recycle, releaseText: () => recycle(text.buffer) };
  }

  // A thread's 'error' or 'exit' (both come when it fails: the first decides).
  private ended(worker: Worker, error: Error): void {
    if (this.closing || !this.live.delete(worker)) return;
    const job = this.busy.get(worker);
    this.busy.delete(worker);
    const idle = this.idle.indexOf(worker);
    if (idle >= 0) this.idle.splice(idle, 1);
    if (this.ready.has(worker)) {
      this.failure ??= readerStopped(error, job?.task);
      job?.reject(this.failure);
      for (const queued of this.queue.splice(0)) queued.reject(this.failure);
      return;
    }
    // It never started: it read nothing, and its segment goes back in the queue, in input order.
    this.window = Math.max(1, this.live.size) * 2;
    if (this.failure !== undefined) {
      job?.reject(this.failure);
      return;
    }
    if (job !== undefined) {
      const after = this.queue.findIndex((q) => q.task.segment.index > job.task.segment.index);
      this.queue.splice(after < 0 ? this.queue.length : after, 0, job);
    }
    this.dispatch();
  }
}
