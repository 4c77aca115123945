import { ByteBuffer } from "./byte-buffer.js";
import { type ChunkMeta, PARQUET } from "./chunk-writer.js";
import type { ColumnSchema } from "./parquet-schema.js";
import { T, ThriftWriter } from "./thrift-writer.js";

/** What the footer says of the file, besides its row groups. */
export interface FileMeta {
  readonly columns: readonly ColumnSchema[];
  readonly keyValues: readonly (readonly [string, string])[];
  readonly createdBy: string;
}

const CONVERTED = { UTF8: 0, JSON: 19 } as const;

/**
 * The footer's row groups, serialized as each group is encoded: a file of many small groups
 * would otherwise keep objects per chunk until its end, which the encoder's capped heap cannot
 * hold (tens of thousands of groups), while bytes live outside it. The one thing not known yet
 * is where the offset indexes land (after the last group), so a chunk of several pages leaves
 * a splice in its ColumnChunk where that location goes.
 */
export class FooterRowGroups {
  private readonly groups = new ByteBuffer();
  private readonly thrift = new ThriftWriter(this.groups);
  private readonly indexes = new ByteBuffer();
  private readonly indexThrift = new ThriftWriter(this.indexes);
  /** Per splice: its place in `groups`, its offset index's place in `indexes`, its length. */
  private readonly splices: number[] = [];
  private count = 0;
  private rows = 0;

  add(rows: number, chunks: readonly ChunkMeta[]): void {
    const { thrift } = this;
    this.count++;
    this.rows += rows;
    thrift.enter();
    thrift.list(1, T.STRUCT, chunks.length);
    for (const chunk of chunks) this.addChunk(chunk);
    thrift.i64(
      2,
      chunks.reduce((n, chunk) => n + chunk.uncompressed, 0),
    );
    thrift.i64(3, rows);
    thrift.i64(
      6,
      chunks.reduce((n, chunk) => n + chunk.compressed, 0),
    );
    thrift.end();
  }

  private addChunk(chunk: ChunkMeta): void {
    writeColumnChunk(this.thrift, chunk);
    if (chunk.pages.length < 2) {
      this.thrift.end();
      return;
    }
    const thrift = this.indexThrift;
    const start = this.indexes.length;
    thrift.enter();
    thrift.list(1, T.STRUCT, chunk.pages.length);
    for (const page of chunk.pages) {
      thrift.enter();
      thrift.i64(1, page.offset);
      thrift.i32(2, page.size);
      thrift.i64(3, page.firstRow);
      thrift.end();
    }
    thrift.end();
    this.splices.push(this.groups.length, start, this.indexes.length - start);
    // The ColumnChunk is closed at the splice, after fields 4 and 5.
    this.thrift.leave();
  }

  /**
   * Writes the end of a file that starts at offset 0 and has `base` bytes before `out`: the
   * offset indexes, the FileMetaData (Thrift compact), its length and the closing magic.
   */
  writeFooter(out: ByteBuffer, base: number, file: FileMeta): void {
    const indexBase = base + out.length;
    out.append(this.indexes.view());
    const thrift = new ThriftWriter(out);
    const metadataStart = out.length;
    thrift.enter();
    thrift.i32(1, 2);
    thrift.list(2, T.STRUCT, file.columns.length + 1);
    thrift.enter();
    thrift.string(4, "schema");
    thrift.i32(5, file.columns.length);
    thrift.end();
    for (const column of file.columns) writeSchemaElement(thrift, column);
    thrift.i64(3, this.rows);
    thrift.list(4, T.STRUCT, this.count);
    const groups = this.groups.view();
    let from = 0;
    for (let k = 0; k < this.splices.length; k += 3) {
      const at = this.splices[k] as number;
      out.append(groups.subarray(from, at));
      // The ColumnChunk's fields 4 and 5, after its field 3, then its stop byte.
      const offsetIndex = new ThriftWriter(out);
      offsetIndex.enter(3);
      offsetIndex.i64(4, indexBase + (this.splices[k + 1] as number));
      offsetIndex.i32(5, this.splices[k + 2] as number);
      offsetIndex.end();
      from = at;
    }
    out.append(groups.subarray(from));
    thrift.list(5, T.STRUCT, file.keyValues.length);
    for (const [key, value] of file.keyValues) {
      thrift.enter();
      thrift.string(1, key);
      thrift.string(2, value);
      thrift.end();
    }
    thrift.string(6, file.createdBy);
    // Every column's statistics are in its type's own order (TypeDefinedOrder).
    thrift.list(7, T.STRUCT, file.columns.length);
    for (let k = 0; k < file.columns.length; k++) {
      thrift.enter();
      thrift.struct(1);
      thrift.end();
      thrift.end();
    }
    thrift.end();
    out.uint32(out.length - metadataStart);
    out.uint32(0x31524150); // "PAR1"
  }
}

function writeSchemaElement(thrift: ThriftWriter, column: ColumnSchema): void {
  thrift.enter();
  thrift.i32(1, column.type === "INT64" ? PARQUET.INT64 : PARQUET.BYTE_ARRAY);
  thrift.i32(3, column.optional ? 1 : 0);
  thrift.string(4, column.name);
  if (column.converted !== undefined) thrift.i32(6, CONVERTED[column.converted]);
  thrift.struct(10); // LogicalType, a union: one field set
  if (column.logical === "TIMESTAMP_MICROS_UTC") {
    thrift.struct(8);
    thrift.bool(1, true); // isAdjustedToUTC
    thrift.struct(2); // unit
    thrift.struct(2); // MICROS
    thrift.end();
    thrift.end();
    thrift.end();
  } else {
    thrift.struct(column.logical === "STRING" ? 1 : 12);
    thrift.end();
  }
  thrift.end();
  thrift.end();
}

/** A ColumnChunk up to its field 3, left open: the caller closes it, after fields 4 and 5 or not. */
function writeColumnChunk(thrift: ThriftWriter, chunk: ChunkMeta): void {
  thrift.enter();
  thrift.i64(2, chunk.start);
  thrift.struct(3);
  thrift.i32(1, chunk.type);
  const dictionary = chunk.dictionaryOffset !== undefined;
  thrift.list(2, T.I32, dictionary ? 2 : 1);
  thrift.i32Element(PARQUET.PLAIN);
  if (dictionary) thrift.i32Element(chunk.encoding);
  thrift.list(3, T.BINARY, 1);
  thrift.binaryElement(chunk.name);
  thrift.i32(4, PARQUET.SNAPPY);
  thrift.i64(5, chunk.values);
  thrift.i64(6, chunk.uncompressed);
  thrift.i64(7, chunk.compressed);
  thrift.i64(9, chunk.dataOffset);
  if (chunk.dictionaryOffset !== undefined) thrift.i64(11, chunk.dictionaryOffset);
  if (chunk.statistics !== undefined) {
    thrift.struct(12);
    thrift.i64(3, chunk.statistics.nulls);
    thrift.binary(5, chunk.statistics.max);
    thrift.binary(6, chunk.statistics.min);
    thrift.end();
  }
  thrift.list(13, T.STRUCT, dictionary ? 2 : 1);
  if (dictionary) pageEncodingStats(thrift, PARQUET.DICTIONARY_PAGE, PARQUET.PLAIN, 1);
  pageEncodingStats(thrift, PARQUET.DATA_PAGE_V2, chunk.encoding, chunk.pages.length);
  thrift.end();
}

function pageEncodingStats(thrift: ThriftWriter, page: number, encoding: number, count: number) {
  thrift.enter();
  thrift.i32(1, page);
  thrift.i32(2, encoding);
  thrift.i32(3, count);
  thrift.end();
}
