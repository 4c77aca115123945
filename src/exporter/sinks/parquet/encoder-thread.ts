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
  | { ok: true; bytes: Uint8Array; spent?: ArrayBuffer[] }
  | { ok: false; message: string };

/** Talks to the Parquet encoder worker: one request at a time, bytes back in order. */
export class EncoderThread {
  private readonly worker: Worker;
  private spent: ArrayBuffer[] = [];

  constructor(generator: string, rowGroupSize: number) {
    this.worker = startWorker(
      import.meta.url,
      "./parquet-encoder-worker",
      encoderLimits(rowGroupSize),
      { generator, rowGroupSize } satisfies EncoderData,
    );
  }

  request(message: unknown, transfer: ArrayBuffer[] = []): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const done = () => {
        this.worker.off("message", onMessage);
        this.worker.off("error", onError);
        this.worker.off("exit", onExit);
      };
      const onMessage = (reply: Reply) => {
        done();
        if (reply.ok) {
          if (reply.spent !== undefined) this.spent.push(...reply.spent);
          resolve(reply.bytes);
        } else reject(new TelemetryError("io_error", `Parquet encoding failed: ${reply.message}`));
      };
      const onError = (error: Error) => {
        done();
        reject(
          new TelemetryError("io_error", `Parquet encoder crashed: ${error.message}`, {
            cause: error,
          }),
        );
      };
      // Out of memory, for one, ends a worker without an error event.
      const onExit = (code: number) => {
        done();
        reject(new TelemetryError("io_error", `Parquet encoder exited with code ${code}`));
      };
      this.worker.on("message", onMessage);
      this.worker.on("error", onError);
      this.worker.on("exit", onExit);
      this.worker.postMessage(message, transfer);
    });
  }

  /** Memory of blocks the encoder is done with (sent back with its replies), once. */
  takeSpent(): ArrayBuffer[] {
    return this.spent.splice(0);
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}
