import { PACKAGE_NAME, packageVersion } from "../../version.js";
import type { AtomicDirectory } from "../atomic-directory.js";
import { DEFAULT_ROW_GROUP_SIZE } from "../defaults.js";
import { ColumnQueue, columnBuffers } from "../engine/event-columns.js";
import type { SegmentResult } from "../engine/segment.js";
import { type PartitionBy, partitionColumns, splitColumns } from "../engine/split-columns.js";
import { EncoderThread } from "./encoder-thread.js";
import type { EventWriter } from "./event-writer.js";

interface Partition {
  readonly key: string;
  readonly queue: ColumnQueue;
  parts: number;
  lastUsed: number;
}

/**
 * Writes a Hive-partitioned Parquet directory (`channel=user/day=2025-03-01/part-00000.parquet`).
 * Each partition buffers rows until it has a row group's worth; when all partitions together
 * hold more than `maxBufferedRows`, the one written to least recently is flushed as a part file
 * of its own, so memory stays bounded however many partitions there are. Partition columns are
 * in the path only, as Spark, Trino and DuckDB expect; the other columns keep their types.
 */
class PartitionedParquetWriter implements EventWriter {
  readonly want = { columns: true };
  private readonly partitions = new Map<string, Partition>();
  private readonly omit: string[];
  private buffered = 0;
  private tick = 0;
  /** Part files written. */
  files = 0;

  constructor(
    private readonly directory: AtomicDirectory,
    private readonly encoder: EncoderThread,
    private readonly by: PartitionBy,
    private readonly rowGroupSize: number,
    private readonly maxBufferedRows: number,
  ) {
    this.omit = partitionColumns(by).filter((c) => c === "channel");
  }

  async accept(result: SegmentResult): Promise<void> {
    if (result.columns === undefined || result.columns.rows === 0) return;
    for (const [key, columns] of splitColumns(result.columns, this.by)) {
      let partition = this.partitions.get(key);
      if (partition === undefined) {
        partition = { key, queue: new ColumnQueue(), parts: 0, lastUsed: 0 };
        this.partitions.set(key, partition);
      }
      partition.queue.push(columns);
      partition.lastUsed = ++this.tick;
      this.buffered += columns.rows;
      while (partition.queue.size >= this.rowGroupSize)
        await this.flush(partition, this.rowGroupSize);
    }
    while (this.buffered > this.maxBufferedRows) {
      let oldest: Partition | undefined;
      for (const p of this.partitions.values()) {
        if (p.queue.size > 0 && (oldest === undefined || p.lastUsed < oldest.lastUsed)) oldest = p;
      }
      if (oldest === undefined) break;
      await this.flush(oldest, oldest.queue.size);
    }
  }

  private async flush(partition: Partition, rows: number): Promise<void> {
    const columns = partition.queue.take(rows);
    this.buffered -= rows;
    const bytes = await this.encoder.request(
      { kind: "file", columns, omit: this.omit },
      columnBuffers(columns),
    );
    const name = `part-${String(partition.parts++).padStart(5, "0")}.parquet`;
    await this.directory.writeFile(`${partition.key}/${name}`, bytes);
    this.files++;
  }

  async finish(): Promise<void> {
    try {
      const keys = [...this.partitions.keys()].sort();
      for (const key of keys) {
        const partition = this.partitions.get(key) as Partition;
        if (partition.queue.size > 0) await this.flush(partition, partition.queue.size);
      }
      await this.directory.commit();
    } finally {
      await this.encoder.close();
    }
  }

  async abort(): Promise<void> {
    await this.encoder.close();
    await this.directory.abort();
  }
}

/** Options of the partitioned Parquet export. */
export interface PartitionedParquetOptions {
  readonly partitionBy: PartitionBy;
  /** Rows per row group (and at most per part file). Default 100,000. */
  readonly rowGroupSize?: number | undefined;
}

/** Creates the partitioned writer; the Parquet library is loaded only in its worker thread. */
export function createPartitionedParquetWriter(
  directory: AtomicDirectory,
  options: PartitionedParquetOptions,
): EventWriter {
  const encoder = new EncoderThread(`${PACKAGE_NAME} ${packageVersion()}`);
  const rowGroupSize = options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
  return new PartitionedParquetWriter(
    directory,
    encoder,
    options.partitionBy,
    rowGroupSize,
    rowGroupSize,
  );
}
