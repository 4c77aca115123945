import type { Worker } from "node:worker_threads";
import { TelemetryError } from "../../../errors/index.js";
import { startWorker } from "../../engine/start-worker.js";

/**
 * Payload bytes in one row group at most. The encoder holds the rows of one group (plus the
 * segment it is cutting), and its output buffer grows with the group's compressed bytes, so this
 * (with the row count) bounds its memory whatever the size of the events.
 */
export const MAX_GROUP_BYTES = 16 * 1024 * 1024;

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

/** What the encoder worker is started with. */
export interface EncoderData {
  /** Written into each file's metadata. */
  readonly generator: string;
  /** Rows per row group of a single-file export. */
  readonly rowGroupSize: number;
}

type Reply =
  | { ok: true; bytes: Uint8Array; spent?: ArrayBufferLike[] }
  | { ok: false; message: string };

interface Waiter {
  readonly resolve: (bytes: Uint8Array) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Talks to the Parquet encoder worker. Requests may overlap: the worker handles its messages one
 * at a time, in order, so replies arrive in the order of the requests and are matched to them
 * by position.
 */
export class EncoderThread {
  private readonly worker: Worker;
  private readonly waiting: Waiter[] = [];
  private spent: ArrayBufferLike[] = [];
  private failure: TelemetryError | undefined;

  constructor(generator: string, rowGroupSize: number) {
    this.worker = startWorker(
      import.meta.url,
      "./parquet-encoder-worker",
      encoderLimits(rowGroupSize),
      { generator, rowGroupSize } satisfies EncoderData,
    );
    this.worker.on("message", (reply: Reply) => {
      const waiter = this.waiting.shift();
      if (reply.ok) {
        if (reply.spent !== undefined) this.spent.push(...reply.spent);
        waiter?.resolve(reply.bytes);
      } else {
        waiter?.reject(new TelemetryError("io_error", `Parquet encoding failed: ${reply.message}`));
      }
    });
    this.worker.on("error", (error: Error) =>
      this.fail(
        new TelemetryError("io_error", `Parquet encoder crashed: ${error.message}`, {
          cause: error,
        }),
      ),
    );
    // Out of memory, for one, ends a worker without an error event.
    this.worker.on("exit", (code: number) =>
      this.fail(new TelemetryError("io_error", `Parquet encoder exited with code ${code}`)),
    );
  }

  /** Sends one request; its reply's bytes, once the worker has handled every earlier one. */
  request(message: unknown, transfer: ArrayBuffer[] = []): Promise<Uint8Array> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(message, transfer);
    });
  }

  /** Requests sent and not answered yet. */
  get pending(): number {
    return this.waiting.length;
  }

  /** Memory of blocks the encoder is done with (sent back with its replies), once. */
  takeSpent(): ArrayBufferLike[] {
    return this.spent.splice(0);
  }

  close(): Promise<number> {
    // Ending it on purpose is no failure, but what is still unanswered never will be.
    this.failure ??= new TelemetryError("io_error", "Parquet encoder closed");
    for (const waiter of this.waiting.splice(0)) waiter.reject(this.failure);
    return this.worker.terminate();
  }

  private fail(error: TelemetryError): void {
    this.failure ??= error;
    for (const waiter of this.waiting.splice(0)) waiter.reject(this.failure);
  }
}
