import type { ByteBuffer } from "./byte-buffer.js";
import type { SnappyCompressor } from "./snappy-compressor.js";
import { ThriftWriter } from "./thrift-writer.js";

/** Parquet enum values written here. */
export const PARQUET = {
  BYTE_ARRAY: 6,
  INT64: 2,
  PLAIN: 0,
  RLE_DICTIONARY: 8,
  SNAPPY: 1,
  DICTIONARY_PAGE: 2,
  DATA_PAGE_V2: 3,
} as const;

/** Where one row group's bytes go: a buffer that starts at file offset `base`. */
export interface GroupOutput {
  readonly out: ByteBuffer;
  readonly thrift: ThriftWriter;
  readonly snappy: SnappyCompressor;
  base: number;
}

/** A data page's place in the file, for the offset index. */
export interface PageLocation {
  readonly offset: number;
  readonly size: number;
  readonly firstRow: number;
}

/** Minimum and maximum in the column's sort order (unsigned bytes), and the null count. */
export interface ChunkStatistics {
  readonly min: Uint8Array;
  readonly max: Uint8Array;
  readonly nulls: number;
}

/** What the footer says of one column chunk. */
export interface ChunkMeta {
  readonly name: string;
  readonly type: number;
  readonly encoding: number;
  readonly values: number;
  readonly start: number;
  readonly compressed: number;
  readonly uncompressed: number;
  readonly dictionaryOffset: number | undefined;
  readonly dataOffset: number;
  readonly pages: readonly PageLocation[];
  readonly statistics: ChunkStatistics | undefined;
}

export function groupOutput(out: ByteBuffer, snappy: SnappyCompressor): GroupOutput {
  return { out, thrift: new ThriftWriter(out), snappy, base: 0 };
}

const offsetOf = (group: GroupOutput) => group.base + group.out.length;

/**
 * Writes the pages of one column chunk (an optional dictionary page, then data pages v2, their
 * values Snappy-compressed, their levels not, as that page version requires) and sums what the
 * footer needs.
 */
export class ChunkWriter {
  private readonly start: number;
  private uncompressed = 0;
  private dictionaryOffset: number | undefined;
  private readonly pages: PageLocation[] = [];
  private values = 0;

  constructor(
    private readonly group: GroupOutput,
    private readonly name: string,
    private readonly type: number,
    private readonly encoding: number,
  ) {
    this.start = offsetOf(group);
  }

  /** A PLAIN dictionary page of `count` values. */
  dictionaryPage(plain: Uint8Array, count: number): void {
    this.dictionaryOffset = offsetOf(this.group);
    const { thrift } = this.group;
    const compressed = this.group.snappy.compress(plain);
    const headerStart = this.group.out.length;
    thrift.enter();
    thrift.i32(1, PARQUET.DICTIONARY_PAGE);
    thrift.i32(2, plain.length);
    thrift.i32(3, compressed.length);
    thrift.struct(7);
    thrift.i32(1, count);
    thrift.i32(2, PARQUET.PLAIN);
    thrift.end();
    thrift.end();
    this.uncompressed += this.group.out.length - headerStart + plain.length;
    this.group.out.append(compressed);
  }

  /**
   * A data page of `rows` rows: `levels` are the definition levels (empty for a required
   * column), `encoded` the non-null values in the chunk's encoding, `firstRow` the page's first
   * row in the group.
   */
  dataPage(levels: Uint8Array, encoded: Uint8Array, rows: number, nulls: number, firstRow: number) {
    const offset = offsetOf(this.group);
    const { thrift, out } = this.group;
    const compressed = this.group.snappy.compress(encoded);
    thrift.enter();
    thrift.i32(1, PARQUET.DATA_PAGE_V2);
    thrift.i32(2, levels.length + encoded.length);
    thrift.i32(3, levels.length + compressed.length);
    thrift.struct(8);
    thrift.i32(1, rows);
    thrift.i32(2, nulls);
    thrift.i32(3, rows);
    thrift.i32(4, this.encoding);
    thrift.i32(5, levels.length);
    thrift.i32(6, 0);
    thrift.end();
    thrift.end();
    this.uncompressed += out.length + this.group.base - offset + levels.length + encoded.length;
    out.append(levels);
    out.append(compressed);
    this.pages.push({ offset, size: offsetOf(this.group) - offset, firstRow });
    this.values += rows;
  }

  done(statistics?: ChunkStatistics): ChunkMeta {
    return {
      name: this.name,
      type: this.type,
      encoding: this.encoding,
      values: this.values,
      start: this.start,
      compressed: offsetOf(this.group) - this.start,
      uncompressed: this.uncompressed,
      dictionaryOffset: this.dictionaryOffset,
      dataOffset: (this.pages[0] as PageLocation).offset,
      pages: this.pages,
      statistics,
    };
  }
}
