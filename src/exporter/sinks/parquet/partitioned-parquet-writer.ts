import { PACKAGE_NAME, packageVersion } from "../../../version.js";
import type { PartitionBy } from "../../contracts.js";
import { columnBuffers, type EventColumns } from "../../engine/event-columns.js";
import type { SegmentResult } from "../../engine/segment.js";
import type { PartDirectory } from "../dataset/export-target.js";
import { newRunId, partFileName } from "../dataset/part-names.js";
import type { EventWriter } from "../event-writer.js";
import { ColumnQueue } from "./column-queue.js";
import { MAX_GROUP_BYTES } from "./encoder-data.js";
import { EncoderThread } from "./encoder-thread.js";
import { partitionColumns, splitColumns } from "./split-columns.js";

interface Partition {
  readonly key: string;
  readonly queue: ColumnQueue;
  lastUsed: number;
}

/** What a partitioned export wrote, for an incremental run to continue from. */
export interface PartitionedOutcome {
  /** Per partition: the number of its next part file. */
  readonly parts: Record<string, number>;
  /** The part files holding events of unfinished last lines (`tail-00000-<run>.parquet`). */
  readonly tails: string[];
}

/**
 * Writes a Hive-partitioned Parquet directory (`channel=user/day=2025-03-01/part-00000-<run>.parquet`,
 * named per run: see `part-names.ts`).
 * Each partition buffers rows until it has a row group's worth; when all partitions together
 * hold more than `maxBufferedRows`, the one written to least recently is flushed as a part file
 * of its own, so memory stays bounded however many partitions there are. Partition columns are
 * in the path only, as Spark, Trino and DuckDB expect; the other columns keep their types.
 */
export class PartitionedParquetWriter implements EventWriter {
  readonly want = { columns: true };
  private readonly partitions = new Map<string, Partition>();
  private readonly tailPartitions = new Map<string, ColumnQueue>();
  private readonly nextPart: Map<string, number>;
  private readonly omit: string[];
  private buffered = 0;
  private bufferedBytes = 0;
  private tick = 0;
  /** Part files written. */
  files = 0;

  constructor(
    private readonly directory: PartDirectory,
    private readonly encoder: EncoderThread,
    private readonly by: PartitionBy,
    private readonly rowGroupSize: number,
    private readonly maxBufferedRows: number,
    parts: Readonly<Record<string, number>>,
    private readonly run: string,
    private readonly writer: string | undefined,
  ) {
    this.omit = partitionColumns(by).filter((c) => c === "channel");
    this.nextPart = new Map(Object.entries(parts));
  }

  async accept(result: SegmentResult): Promise<void> {
    if (result.columns === undefined || result.columns.rows === 0) return;
    if (result.tail === true) {
      // At most one line per file: held to the end and written as a tail file.
      for (const [key, columns] of splitColumns(result.columns, this.by)) {
        const queue = this.tailPartitions.get(key) ?? new ColumnQueue();
        queue.push(columns);
        this.tailPartitions.set(key, queue);
      }
      return;
    }
    for (const [key, columns] of splitColumns(result.columns, this.by)) {
      let partition = this.partitions.get(key);
      if (partition === undefined) {
        partition = { key, queue: new ColumnQueue(), lastUsed: 0 };
        this.partitions.set(key, partition);
      }
      partition.queue.push(columns);
      partition.lastUsed = ++this.tick;
      this.buffered += columns.rows;
      this.bufferedBytes += columns.payloadBytes.length + columns.extraBytes.length;
      while (
        partition.queue.size >= this.rowGroupSize ||
        partition.queue.bytes >= MAX_GROUP_BYTES
      ) {
        await this.flush(partition);
      }
    }
    while (this.buffered > this.maxBufferedRows || this.bufferedBytes > 2 * MAX_GROUP_BYTES) {
      let oldest: Partition | undefined;
      for (const p of this.partitions.values()) {
        if (p.queue.size > 0 && (oldest === undefined || p.lastUsed < oldest.lastUsed)) oldest = p;
      }
      if (oldest === undefined) break;
      while (oldest.queue.size > 0) await this.flush(oldest);
    }
  }

  // Writes the partition's next row group (by rows and bytes) as a part file of its own.
  private async flush(partition: Partition): Promise<void> {
    const before = partition.queue.bytes;
    const rows = partition.queue.groupRows(this.rowGroupSize, MAX_GROUP_BYTES);
    const columns = partition.queue.take(rows);
    this.buffered -= rows;
    this.bufferedBytes -= before - partition.queue.bytes;
    const n = this.nextPart.get(partition.key) ?? 0;
    this.nextPart.set(partition.key, n + 1);
    await this.writePart(`${partition.key}/${this.fileName("part", n)}`, columns);
  }

  private fileName(kind: "part" | "tail", n: number): string {
    return partFileName(kind, n, this.run, this.writer);
  }

  private async writePart(path: string, columns: EventColumns): Promise<void> {
    const bytes = await this.encoder.request(
      { kind: "file", columns, omit: this.omit },
      columnBuffers(columns),
    );
    await this.directory.writeFile(path, bytes);
    this.files++;
  }

  /**
   * Writes every buffered part, and the tails as tail files; the directory is not
   * committed yet, so the caller can add its state beside the parts first.
   */
  async writeParts(): Promise<PartitionedOutcome> {
    try {
      for (const key of [...this.partitions.keys()].sort()) {
        const partition = this.partitions.get(key) as Partition;
        while (partition.queue.size > 0) await this.flush(partition);
      }
      const tails: string[] = [];
      for (const key of [...this.tailPartitions.keys()].sort()) {
        const queue = this.tailPartitions.get(key) as ColumnQueue;
        const path = `${key}/${this.fileName("tail", 0)}`;
        await this.writePart(path, queue.take(queue.size));
        tails.push(path);
      }
      const parts = [...this.nextPart].sort(([a], [b]) => (a < b ? -1 : 1));
      return { parts: Object.fromEntries(parts), tails };
    } finally {
      await this.encoder.close();
    }
  }

  /** Commits the directory written by {@link writeParts}. */
  commit(): Promise<void> {
    return this.directory.commit();
  }

  async finish(): Promise<void> {
    await this.writeParts();
    await this.commit();
  }

  async abort(): Promise<void> {
    await this.encoder.close();
    await this.directory.abort();
  }
}

/** Options of the partitioned Parquet export. */
export interface PartitionedParquetOptions {
  readonly partitionBy: PartitionBy;
  /** Rows per row group (and at most per part file). */
  readonly rowGroupSize: number;
  /** For incremental runs: each partition's next part number, from the previous run. */
  readonly parts?: Readonly<Record<string, number>> | undefined;
  /** In a shared dataset: the writer, named in every file it writes. */
  readonly writer?: string | undefined;
}

/** Creates the partitioned writer; the Parquet library is loaded only in its worker thread. */
export function createPartitionedParquetWriter(
  directory: PartDirectory,
  options: PartitionedParquetOptions,
): PartitionedParquetWriter {
  const rowGroupSize = options.rowGroupSize;
  const encoder = new EncoderThread(`${PACKAGE_NAME} ${packageVersion()}`, rowGroupSize);
  return new PartitionedParquetWriter(
    directory,
    encoder,
    options.partitionBy,
    rowGroupSize,
    rowGroupSize,
    options.parts ?? {},
    newRunId(),
    options.writer,
  );
}
