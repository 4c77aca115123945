import type { Worker } from "node:worker_threads";
import { TelemetryError } from "../../errors/index.js";
import type { SegmentRequest, SegmentResult, SegmentTask } from "./segment.js";
import { movable } from "./segment-memory.js";
import { startWorker } from "./start-worker.js";

interface Job {
  readonly task: SegmentTask;
  readonly resolve: (result: SegmentResult) => void;
  readonly reject: (error: unknown) => void;
}

type Reply = { ok: true; result: SegmentResult } | { ok: false; message: string };

// A worker holds one segment's data at a time; a small old generation makes it collect early
// instead of growing (peak RSS is a target). The longest line allowed sets the floor: parsing a
// line takes several times its size in heap.
function limitsFor(maxLineBytes: number) {
  const lineMiB = Math.ceil(maxLineBytes / (1024 * 1024));
  return { maxOldGenerationSizeMb: 48 + 16 * lineMiB, maxYoungGenerationSizeMb: 8 };
}

/** Worker threads that process segments; results are delivered in task order. */
export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly queue: Job[] = [];
  private readonly workers: Worker[] = [];
  // Text memory written out and handed back, for the next tasks: the main thread would otherwise
  // hold it as garbage until its (small) heap is collected, more of it the longer the input.
  private readonly spares: ArrayBufferLike[] = [];
  private closing = false;
  private failure: TelemetryError | undefined;

  constructor(size: number, maxLineBytes: number) {
    for (let i = 0; i < size; i++) {
      const worker = startWorker(import.meta.url, "./segment-worker", limitsFor(maxLineBytes));
      worker.on("message", (reply: Reply) => this.settle(worker, reply));
      worker.on("error", (error) => this.fail(worker, error));
      // A worker that ends on its own (out of memory, for one) must fail the run, not stall it.
      worker.on("exit", (code) => {
        if (!this.closing) this.fail(worker, new Error(`worker exited with code ${code}`));
      });
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  /**
   * Runs every task, at most `window` at a time, and hands each result to `consume` in task
   * order, awaiting it before more are started (so output keeps memory bounded). `prepare`
   * completes a task when it is started.
   */
  async map(
    tasks: readonly SegmentTask[],
    consume: (result: SegmentResult) => Promise<void>,
    prepare: (task: SegmentTask) => SegmentTask = (task) => task,
  ): Promise<void> {
    const window = this.workers.length * 2;
    const pending: (Promise<SegmentResult> | undefined)[] = [];
    let next = 0;
    const launch = (consumed: number) => {
      while (next < tasks.length && next - consumed < window) {
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
  }

  private settle(worker: Worker, reply: Reply): void {
    const job = this.busy.get(worker);
    this.busy.delete(worker);
    this.idle.push(worker);
    if (job !== undefined) {
      if (reply.ok) job.resolve(this.withRelease(reply.result));
      else job.reject(new TelemetryError("io_error", `worker failed: ${reply.message}`));
    }
    this.dispatch();
  }

  private withRelease(result: SegmentResult): SegmentResult {
    // Up to four a worker: the Parquet encoder hands memory back in bursts (a row group's blocks
    // at once), and what does not fit here is freed and allocated again, fragmenting the heap.
    const recycle = (memory: ArrayBufferLike) => {
      if (this.spares.length < this.workers.length * 4) this.spares.push(memory);
    };
    const text = result.text;
    if (text === undefined) return { ...result, recycle };
    return { ...result, recycle, releaseText: () => recycle(text.buffer) };
  }

  private fail(worker: Worker, error: Error): void {
    this.failure ??= new TelemetryError("io_error", `worker crashed: ${error.message}`, {
      cause: error,
    });
    const job = this.busy.get(worker);
    this.busy.delete(worker);
    job?.reject(this.failure);
    for (const queued of this.queue.splice(0)) queued.reject(this.failure);
  }
}
