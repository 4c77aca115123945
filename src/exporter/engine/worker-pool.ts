import { Worker } from "node:worker_threads";
import { TelemetryError } from "../../errors/index.js";
import type { SegmentResult, SegmentTask } from "./segment.js";

interface Job {
  readonly task: SegmentTask;
  readonly resolve: (result: SegmentResult) => void;
  readonly reject: (error: unknown) => void;
}

type Reply = { ok: true; result: SegmentResult } | { ok: false; message: string };

// A worker holds one segment's data at a time; a small old generation makes it collect early
// instead of growing (peak RSS is a target).
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16 };

// Running from TypeScript sources (tests), the worker is a .ts file: a small bootstrap registers
// tsx in the worker thread first (loader flags do not carry over to workers on Node 20).
function startWorker(): Worker {
  if (!import.meta.url.endsWith(".ts")) {
    return new Worker(new URL("./segment-worker.js", import.meta.url), {
      resourceLimits: RESOURCE_LIMITS,
    });
  }
  const entry = new URL("./segment-worker.ts", import.meta.url).href;
  const bootstrap = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, resourceLimits: RESOURCE_LIMITS });
}

/** Worker threads that process segments; results are delivered in task order. */
export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly queue: Job[] = [];
  private readonly workers: Worker[] = [];

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const worker = startWorker();
      worker.on("message", (reply: Reply) => this.settle(worker, reply));
      worker.on("error", (error) => this.fail(worker, error));
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  /**
   * Runs every task, at most `window` at a time, and hands each result to `consume` in task
   * order, awaiting it before more are started (so output keeps memory bounded).
   */
  async map(
    tasks: readonly SegmentTask[],
    consume: (result: SegmentResult) => Promise<void>,
  ): Promise<void> {
    const window = this.workers.length * 2;
    const pending: (Promise<SegmentResult> | undefined)[] = [];
    let next = 0;
    const launch = (consumed: number) => {
      while (next < tasks.length && next - consumed < window) {
        const promise = this.run(tasks[next] as SegmentTask);
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
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private run(task: SegmentTask): Promise<SegmentResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop() as Worker;
      const job = this.queue.shift() as Job;
      this.busy.set(worker, job);
      worker.postMessage(job.task);
    }
  }

  private settle(worker: Worker, reply: Reply): void {
    const job = this.busy.get(worker);
    this.busy.delete(worker);
    this.idle.push(worker);
    if (job !== undefined) {
      if (reply.ok) job.resolve(reply.result);
      else job.reject(new TelemetryError("io_error", `worker failed: ${reply.message}`));
    }
    this.dispatch();
  }

  private fail(worker: Worker, error: Error): void {
    const job = this.busy.get(worker);
    this.busy.delete(worker);
    job?.reject(
      new TelemetryError("io_error", `worker crashed: ${error.message}`, { cause: error }),
    );
    for (const queued of this.queue.splice(0))
      queued.reject(new TelemetryError("io_error", "worker pool stopped"));
  }
}
