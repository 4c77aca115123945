import { SCHEMA_VERSION_V1 } from "../../../schema/constants.js";
import { ByteBuffer } from "./byte-buffer.js";
import { type ChunkMeta, type GroupOutput, groupOutput } from "./chunk-writer.js";
import {
  Scratch,
  writeBytesColumn,
  writeDictionaryColumn,
  writeTimestampColumn,
} from "./column-chunks.js";
import type { RowSlice } from "./column-queue.js";
import { FooterRowGroups } from "./parquet-footer.js";
import { type ColumnName, PARQUET_COLUMNS } from "./parquet-schema.js";
import { SnappyCompressor } from "./snappy-compressor.js";

const MAGIC = 0x31524150; // "PAR1"
/** Returned buffers kept for reuse, at most. */
const MAX_SPARES = 4;

/**
 * Encodes row groups and the footer of one Parquet file, column by column from the blocks'
 * typed arrays: no value is turned into a JavaScript object on the way (a general library
 * builds a string or a view per value, most of the encoder's garbage), and pages are built in
 * buffers reused for the whole file.
 */
export class ParquetEncoder {
  private readonly group: GroupOutput;
  private readonly scratch = new Scratch();
  private readonly groups = new FooterRowGroups();
  private readonly spares: ArrayBuffer[] = [];
  private readonly columns;

  /** `omit`: columns left out of the file (a partitioned export keeps them in the path). */
  constructor(
    private readonly generator: string,
    omit: readonly string[] = [],
  ) {
    this.columns = PARQUET_COLUMNS.filter((column) => !omit.includes(column.name));
    this.group = groupOutput(new ByteBuffer(1 << 20), new SnappyCompressor());
    this.group.out.uint32(MAGIC);
  }

  /** The bytes of one row group (the first call also carries the file's leading magic). */
  encodeGroup(slices: readonly RowSlice[]): Uint8Array {
    const rows = slices.reduce((n, slice) => n + slice.count, 0);
    const chunks = this.columns.map((column) => this.encodeColumn(column.name, slices));
    this.groups.add(rows, chunks);
    return this.take();
  }

  /** The bytes of the footer; the file is complete after them. */
  finish(): Uint8Array {
    this.groups.writeFooter(this.group.out, this.group.base, {
      columns: this.columns,
      keyValues: [
        ["telemetry.schema_version", SCHEMA_VERSION_V1],
        ["telemetry.generator", this.generator],
      ],
      createdBy: this.generator,
    });
    return this.take();
  }

  private encodeColumn(name: ColumnName, slices: readonly RowSlice[]): ChunkMeta {
    const { group, scratch } = this;
    switch (name) {
      case "schema_version":
        return writeDictionaryColumn(group, scratch, name, slices, (b) => b.versionIds);
      case "channel":
        return writeDictionaryColumn(group, scratch, name, slices, (b) => b.channelIds);
      case "event":
        return writeDictionaryColumn(group, scratch, name, slices, (b) => b.eventIds);
      case "timestamp":
        return writeTimestampColumn(group, scratch, slices);
      case "payload":
        return writeBytesColumn(
          group,
          scratch,
          name,
          slices,
          (b) => ({ bytes: b.payloadBytes, offsets: b.payloadOffsets }),
          false,
        );
      case "extra":
        return writeBytesColumn(
          group,
          scratch,
          name,
          slices,
          (b) => ({ bytes: b.extraBytes, offsets: b.extraOffsets }),
          true,
        );
    }
  }

  /**
   * Memory of bytes this encoder returned, written out and handed back: the next bytes are
   * written into it. Transferred memory is freed only by a full collection, which a thread
   * making little garbage runs late, so returned memory left to the receiver piled up there
   * (and each fresh buffer costs a page fault per 4 KiB).
   */
  reuse(memory: ArrayBuffer): void {
    if (this.spares.length < MAX_SPARES) this.spares.push(memory);
  }

  private take(): Uint8Array {
    this.group.base += this.group.out.length;
    return this.group.out.take(this.spares);
  }
}
