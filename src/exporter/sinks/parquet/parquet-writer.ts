import { PACKAGE_NAME, packageVersion } from "../../../version.js";
import { columnBuffers, type EventColumns } from "../../engine/event-columns.js";
import type { SegmentResult } from "../../engine/segment.js";
import type { EventWriter } from "../event-writer.js";
import type { OutputSink } from "../output-sink.js";
import { EncoderThread } from "./encoder-thread.js";

/**
 * Bytes of rows sent to the encoder and not yet answered, at most. Past it, a segment waits for
 * the oldest answer. Without room here the readers stopped whenever the encoder cut a row group
 * (their window of segments filled while the main thread awaited it), so reading and encoding
 * took turns instead of overlapping. With 8 MiB, both readers still waited together while the
 * encoder worked on a group, one core idle; 16 MiB (one group's payload at most) measured 3.5%
 * faster for about 12 MiB more peak memory. The encoder's memory holds one group being cut plus
 * this much queued.
 */
const MAX_UNANSWERED_BYTES = 16 * 1024 * 1024;

// What a block costs to hold: its variable-length bytes and about 32 bytes a row of arrays.
const heldBytes = (columns: EventColumns) =>
  columns.payloadBytes.length + columns.extraBytes.length + columns.rows * 32;

interface Sent {
  readonly bytes: number;
  /** Settles once the reply's bytes are written to the sink. */
  readonly written: Promise<void>;
}

/**
 * Writes events as one Parquet file: each segment's columns go to the encoder thread as they
 * are (transferred, not copied), which cuts exact row groups and returns their bytes; the bytes
 * are written in the order of the requests, while the next segments are read.
 */
class ParquetEventWriter implements EventWriter {
  readonly want = { columns: true };
  private readonly sent: Sent[] = [];
  private unanswered = 0;
  private written: Promise<void> = Promise.resolve();
  private recycle: ((memory: ArrayBufferLike) => void) | undefined;
  private readonly returned: ArrayBuffer[] = [];

  constructor(
    private readonly sink: OutputSink,
    private readonly encoder: EncoderThread,
  ) {}

  async accept(result: SegmentResult): Promise<void> {
    const columns = result.columns;
    if (columns === undefined || columns.rows === 0) return;
    this.recycle = result.recycle;
    const bytes = heldBytes(columns);
    // Memory of earlier answers, written out, goes back with the rows (see ParquetEncoder.reuse).
    const returned = this.returned.splice(0);
    const reply = this.encoder.request({ kind: "rows", columns, returned }, [
      ...columnBuffers(columns),
      ...returned,
    ]);
    // After an earlier failure nothing awaits this reply: its own failure is not news.
    reply.catch(() => undefined);
    const written = this.written.then(async () => {
      const encoded = await reply;
      this.unanswered -= bytes;
      this.recycleSpent();
      await this.write(encoded);
      // A file's bytes are the kernel's once written; a stream may still hold them.
      if (this.sink.releasesWrites && encoded.byteLength > 0) {
        this.returned.push(encoded.buffer as ArrayBuffer);
      }
    });
    // Awaited below or by finish(); until then a failure must not count as unhandled.
    written.catch(() => undefined);
    this.written = written;
    this.sent.push({ bytes, written });
    this.unanswered += bytes;
    while (this.unanswered > MAX_UNANSWERED_BYTES) await this.oldest();
  }

  async finish(): Promise<void> {
    try {
      while (this.sent.length > 0) await this.oldest();
      await this.write(await this.encoder.request({ kind: "finish" }));
      await this.sink.commit();
    } finally {
      await this.encoder.close();
    }
  }

  async abort(): Promise<void> {
    await this.encoder.close();
    // Writes already chained settle (failing, the encoder being closed) before the sink goes.
    await this.written.catch(() => undefined);
    await this.sink.abort();
  }

  private async oldest(): Promise<void> {
    const first = this.sent.shift();
    if (first !== undefined) await first.written;
  }

  // The readers fill this memory again rather than allocate (without a pool, it is dropped).
  private recycleSpent(): void {
    for (const memory of this.encoder.takeSpent()) this.recycle?.(memory);
  }

  private async write(bytes: Uint8Array): Promise<void> {
    if (bytes.length > 0) await this.sink.write(bytes);
  }
}

/** Creates the Parquet writer; the Parquet library is loaded only in its worker thread. */
export async function createParquetWriter(
  sink: OutputSink,
  rowGroupSize: number,
): Promise<EventWriter> {
  const encoder = new EncoderThread(`${PACKAGE_NAME} ${packageVersion()}`, rowGroupSize);
  return new ParquetEventWriter(sink, encoder);
}
