import type { Worker } from "node:worker_threads";
import { TelemetryError } from "../../../errors/index.js";
import { movable } from "../../engine/segment-memory.js";
import { startWorker } from "../../engine/start-worker.js";
import type { EncoderData } from "./encoder-data.js";
import type { EncoderAnswer, EncoderRequest } from "./encoder-session.js";

// The encoder's live data is one row group; a capped heap makes it collect early (peak RSS).
// Rows are typed arrays outside the heap, so 64 MB is ample; the allowance per row past the
// default 100,000 (sized for the library we used before) is kept as headroom.
function encoderLimits(rowGroupSize: number) {
  const extra = Math.max(0, rowGroupSize - 100_000) * 256;
  return {
    maxOldGenerationSizeMb: 64 + Math.ceil(extra / 2 ** 20),
    maxYoungGenerationSizeMb: 8,
  };
}

type Reply =
  | { ok: true; bytes: Uint8Array; spent?: ArrayBufferLike[] }
  | { ok: false; message: string }
  | { ready: true };

interface Waiter {
  readonly resolve: (bytes: Uint8Array) => void;
  readonly reject: (error: unknown) => void;
}

interface Held {
  readonly message: EncoderRequest;
  readonly transfer: ArrayBuffer[];
}

type Answer = (request: EncoderRequest) => EncoderAnswer;

/**
 * How long a thread may take to say it is loaded (it takes tens of milliseconds) before it is
 * given up on, its requests encoded here. One that never says so held every request forever and
 * the run hung, silent: a worker bundle of another build beside this one (a package upgraded or
 * downgraded as a run starts), from before that message.
 */
const LOAD_WAIT_MS = 10_000;

const encodingFailed = (message: string) =>
  new TelemetryError("io_error", `Parquet encoding failed: ${message}`);

/**
 * Talks to the Parquet encoder worker. Requests may overlap: the worker handles its messages one
 * at a time, in order, so replies arrive in the order of the requests and are matched to them
 * by position. The thread is a place to encode, not a need: one that cannot start (refused by
 * the OS, out of memory while loading its code, or never saying it is loaded) leaves the encoding
 * to this thread, with the same bytes. Requests are held here until the thread says it is
 * loaded, since what a request carries is moved, not copied, and a thread that ended would take
 * it along; one that ends after that fails the run.
 */
export class EncoderThread {
  private worker: Worker | undefined;
  private loaded = false;
  private readonly held: Held[] = [];
  private readonly waiting: Waiter[] = [];
  private spent: ArrayBufferLike[] = [];
  private failure: TelemetryError | undefined;
  /** The encoder in this thread, once the worker could not start; requests run in turn. */
  private here: Promise<Answer> | undefined;
  private turn: Promise<unknown> = Promise.resolve();

  private readonly loadHere: () => Promise<Answer>;

  /** `start`: how the worker is started, `loadWait`: {@link LOAD_WAIT_MS} (seams for tests). */
  constructor(
    generator: string,
    rowGroupSize: number,
    start: typeof startWorker = startWorker,
    loadWait = LOAD_WAIT_MS,
  ) {
    const data: EncoderData = { generator, rowGroupSize };
    this.loadHere = () => import("./encoder-session.js").then((m) => m.encoderSession(data));
    let worker: Worker;
    try {
      worker = start(
        import.meta.url,
        "./parquet-encoder-worker",
        encoderLimits(rowGroupSize),
        data,
      );
    } catch {
      // The OS refused the thread (EAGAIN, ENOMEM: ERR_WORKER_INIT_FAILED).
      this.here = this.loadHere();
      return;
    }
    this.worker = worker;
    // Not kept alive by this timer: the thread itself keeps the process alive while it waits.
    const giveUp = setTimeout(() => {
      // Loaded, closed, or already ended (its requests encoded here): nothing to give up.
      if (this.loaded || this.failure !== undefined || this.here !== undefined) return;
      this.ended(new TelemetryError("io_error", "Parquet encoder never said it was loaded"));
      void worker.terminate();
    }, loadWait).unref();
    worker.on("message", (reply: Reply) => {
      if ("ready" in reply) {
        clearTimeout(giveUp);
        // Given up on (too late): its requests are encoded here, and nothing is held for it.
        if (this.here !== undefined) return;
        this.loaded = true;
        // Every request so far is held, each with its waiter, in order. One that cannot be sent
        // (not cloneable) fails alone, as it does once the thread is loaded: its waiter leaves
        // the line, so the replies still match the requests sent.
        const waiters = this.waiting.splice(0);
        for (const [k, { message, transfer }] of this.held.splice(0).entries()) {
          const waiter = waiters[k] as Waiter;
          try {
            worker.postMessage(message, transfer);
            this.waiting.push(waiter);
          } catch (error) {
            waiter.reject(encodingFailed(error instanceof Error ? error.message : String(error)));
          }
        }
        return;
      }
      const waiter = this.waiting.shift();
      if (reply.ok) {
        if (reply.spent !== undefined) this.spent.push(...reply.spent);
        waiter?.resolve(reply.bytes);
      } else {
        waiter?.reject(encodingFailed(reply.message));
      }
    });
    worker.on("error", (error: Error) =>
      this.ended(
        new TelemetryError("io_error", `Parquet encoder crashed: ${error.message}`, {
          cause: error,
        }),
      ),
    );
    // Out of memory, for one, ends a worker without an error event.
    worker.on("exit", (code: number) =>
      this.ended(new TelemetryError("io_error", `Parquet encoder exited with code ${code}`)),
    );
  }

  /** Sends one request; its reply's bytes, once the encoder has handled every earlier one. */
  request(message: EncoderRequest, transfer: ArrayBuffer[] = []): Promise<Uint8Array> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.here !== undefined) return this.encodeHere(message, transfer);
    return new Promise((resolve, reject) => {
      // Sent first: one that cannot be sent rejects here, and waits for no reply.
      if (this.loaded) this.worker?.postMessage(message, transfer);
      else this.held.push({ message, transfer });
      this.waiting.push({ resolve, reject });
    });
  }

  /** Memory of blocks the encoder is done with (sent back with its replies), once. */
  takeSpent(): ArrayBufferLike[] {
    return this.spent.splice(0);
  }

  async close(): Promise<number> {
    // Ending it on purpose is no failure, but what is still unanswered never will be.
    this.failure ??= new TelemetryError("io_error", "Parquet encoder closed");
    for (const waiter of this.waiting.splice(0)) waiter.reject(this.failure);
    this.held.length = 0;
    return this.worker === undefined ? 0 : this.worker.terminate();
  }

  private ended(error: TelemetryError): void {
    if (this.failure !== undefined || this.here !== undefined) return;
    if (this.loaded) {
      this.failure = error;
      for (const waiter of this.waiting.splice(0)) waiter.reject(error);
      return;
    }
    // It never started: nothing was sent to it, and what waits is encoded here, in order.
    this.worker = undefined;
    this.here = this.loadHere();
    const waiters = this.waiting.splice(0);
    for (const [k, { message, transfer }] of this.held.splice(0).entries()) {
      const waiter = waiters[k] as Waiter;
      this.encodeHere(message, transfer).then(waiter.resolve, waiter.reject);
    }
  }

  /**
   * Encodes in this thread, after every earlier request. What is sent and answered is moved as
   * the worker's messages move it, so neither side keeps a buffer the other now owns.
   */
  private encodeHere(message: EncoderRequest, transfer: ArrayBuffer[]): Promise<Uint8Array> {
    const answer = this.here as Promise<Answer>;
    let moved: EncoderRequest;
    try {
      moved = structuredClone(message, { transfer });
    } catch (error) {
      // As a message that cannot be sent: this request fails, and no other.
      return Promise.reject(encodingFailed(error instanceof Error ? error.message : String(error)));
    }
    const done = this.turn.then(async () => {
      if (this.failure !== undefined) throw this.failure;
      const encode = await answer;
      let result: EncoderAnswer;
      try {
        result = encode(moved);
      } catch (error) {
        throw encodingFailed(error instanceof Error ? error.message : String(error));
      }
      const back = structuredClone(result, {
        transfer: [result.bytes.buffer as ArrayBuffer, ...movable(result.spent)],
      });
      this.spent.push(...back.spent);
      return back.bytes;
    });
    this.turn = done.catch(() => undefined);
    return done;
  }
}
