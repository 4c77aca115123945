import { PACKAGE_NAME, packageVersion } from "../../../version.js";
import { columnBuffers } from "../../engine/event-columns.js";
import type { SegmentResult } from "../../engine/segment.js";
import type { EventWriter } from "../event-writer.js";
import type { OutputSink } from "../output-sink.js";
import { EncoderThread } from "./encoder-thread.js";

/**
 * Writes events as one Parquet file: each segment's columns go to the encoder thread as they
 * are (transferred, not copied), which cuts exact row groups and returns their bytes.
 */
class ParquetEventWriter implements EventWriter {
  readonly want = { columns: true };

  constructor(
    private readonly sink: OutputSink,
    private readonly encoder: EncoderThread,
  ) {}

  async accept(result: SegmentResult): Promise<void> {
    const columns = result.columns;
    if (columns === undefined || columns.rows === 0) return;
    await this.write(await this.encoder.request({ kind: "rows", columns }, columnBuffers(columns)));
    // The readers fill this memory again rather than allocate (without a pool, it is dropped).
    for (const memory of this.encoder.takeSpent()) result.recycle?.(memory);
  }

  async finish(): Promise<void> {
    try {
      await this.write(await this.encoder.request({ kind: "finish" }));
      await this.sink.commit();
    } finally {
      await this.encoder.close();
    }
  }

  async abort(): Promise<void> {
    await this.encoder.close();
    await this.sink.abort();
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
