import type { Worker } from "node:worker_threads";
import { TelemetryError } from "../../errors/index.js";
import { PACKAGE_NAME, packageVersion } from "../../version.js";
import { DEFAULT_ROW_GROUP_SIZE } from "../defaults.js";
import { ColumnQueue, columnBuffers } from "../engine/event-columns.js";
import type { SegmentResult } from "../engine/segment.js";
import { startWorker } from "../engine/start-worker.js";
import type { OutputSink } from "../output-sink.js";
import type { EventWriter } from "./event-writer.js";

// The encoder's live data is one row group; a capped heap makes it collect early (peak RSS).
const ENCODER_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 };

type Reply = { ok: true; bytes: Uint8Array } | { ok: false; message: string };

/** Talks to the encoder worker: one request at a time, bytes back in order. */
class EncoderThread {
  private readonly worker: Worker;

  constructor(generator: string) {
    this.worker = startWorker(
      import.meta.url,
      "./parquet-encoder-worker",
      ENCODER_LIMITS,
      generator,
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
        if (reply.ok) resolve(reply.bytes);
        else reject(new TelemetryError("io_error", `Parquet encoding failed: ${reply.message}`));
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

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

/** Writes events as one Parquet file: exact row groups, encoded in a worker thread. */
class ParquetEventWriter implements EventWriter {
  readonly want = { columns: true };
  private readonly queue = new ColumnQueue();

  constructor(
    private readonly sink: OutputSink,
    private readonly encoder: EncoderThread,
    private readonly rowGroupSize: number,
  ) {}

  async accept(result: SegmentResult): Promise<void> {
    if (result.columns !== undefined) this.queue.push(result.columns);
    while (this.queue.size >= this.rowGroupSize) await this.writeGroup(this.rowGroupSize);
  }

  async finish(): Promise<void> {
    try {
      if (this.queue.size > 0) await this.writeGroup(this.queue.size);
      await this.sink.write(await this.encoder.request({ kind: "finish" }));
      await this.sink.commit();
    } finally {
      await this.encoder.close();
    }
  }

  async abort(): Promise<void> {
    await this.encoder.close();
    await this.sink.abort();
  }

  private async writeGroup(rows: number): Promise<void> {
    const group = this.queue.take(rows);
    await this.sink.write(
      await this.encoder.request({ kind: "group", columns: group }, columnBuffers(group)),
    );
  }
}

/** Options of the Parquet export. */
export interface ParquetOptions {
  /** Rows per row group. Default 100,000. */
  readonly rowGroupSize?: number;
}

/** Creates the Parquet writer; the Parquet library is loaded only in its worker thread. */
export async function createParquetWriter(
  sink: OutputSink,
  options: ParquetOptions = {},
): Promise<EventWriter> {
  const encoder = new EncoderThread(`${PACKAGE_NAME} ${packageVersion()}`);
  return new ParquetEventWriter(sink, encoder, options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE);
}
