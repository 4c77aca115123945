import { PACKAGE_NAME, packageVersion } from "../../version.js";
import { DEFAULT_ROW_GROUP_SIZE } from "../defaults.js";
import { ColumnQueue, columnBuffers } from "../engine/event-columns.js";
import type { SegmentResult } from "../engine/segment.js";
import type { OutputSink } from "../output-sink.js";
import { EncoderThread, MAX_GROUP_BYTES } from "./encoder-thread.js";
import type { EventWriter } from "./event-writer.js";

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
    while (this.queue.size >= this.rowGroupSize || this.queue.bytes >= MAX_GROUP_BYTES) {
      await this.writeGroup();
    }
  }

  async finish(): Promise<void> {
    try {
      while (this.queue.size > 0) await this.writeGroup();
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

  private async writeGroup(): Promise<void> {
    const group = this.queue.take(this.queue.groupRows(this.rowGroupSize, MAX_GROUP_BYTES));
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
  const rowGroupSize = options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
  const encoder = new EncoderThread(`${PACKAGE_NAME} ${packageVersion()}`, rowGroupSize);
  return new ParquetEventWriter(sink, encoder, rowGroupSize);
}
