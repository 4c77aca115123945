import type { ByteBuffer } from "./byte-buffer.js";
import { type ChunkMeta, PARQUET } from "./chunk-writer.js";
import type { ColumnSchema } from "./parquet-schema.js";
import { T, ThriftWriter } from "./thrift-writer.js";

/** What the footer says of one row group. */
export interface GroupMeta {
  readonly rows: number;
  readonly chunks: readonly ChunkMeta[];
}

/** What the footer says of the file. */
export interface FileMeta {
  readonly columns: readonly ColumnSchema[];
  readonly groups: readonly GroupMeta[];
  readonly keyValues: readonly (readonly [string, string])[];
  readonly createdBy: string;
}

const CONVERTED = { UTF8: 0, JSON: 19 } as const;

/**
 * Writes the end of a file that starts at offset 0 and has `base` bytes before `out`: the
 * offset index of every chunk of more than one page, the FileMetaData (Thrift compact), its
 * length and the closing magic.
 */
export function writeFooter(out: ByteBuffer, base: number, file: FileMeta): void {
  const thrift = new ThriftWriter(out);
  const offsetIndexes = new Map<ChunkMeta, readonly [number, number]>();
  for (const chunk of file.groups.flatMap((group) => group.chunks)) {
    if (chunk.pages.length < 2) continue;
    const start = out.length;
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
    offsetIndexes.set(chunk, [base + start, out.length - start]);
  }
  const metadataStart = out.length;
  thrift.enter();
  thrift.i32(1, 2);
  thrift.list(2, T.STRUCT, file.columns.length + 1);
  thrift.enter();
  thrift.string(4, "schema");
  thrift.i32(5, file.columns.length);
  thrift.end();
  for (const column of file.columns) writeSchemaElement(thrift, column);
  thrift.i64(
    3,
    file.groups.reduce((n, group) => n + group.rows, 0),
  );
  thrift.list(4, T.STRUCT, file.groups.length);
  for (const group of file.groups) {
    thrift.enter();
    thrift.list(1, T.STRUCT, group.chunks.length);
    for (const chunk of group.chunks) writeColumnChunk(thrift, chunk, offsetIndexes.get(chunk));
    thrift.i64(
      2,
      group.chunks.reduce((n, chunk) => n + chunk.uncompressed, 0),
    );
    thrift.i64(3, group.rows);
    thrift.i64(
      6,
      group.chunks.reduce((n, chunk) => n + chunk.compressed, 0),
    );
    thrift.end();
  }
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

function writeColumnChunk(
  thrift: ThriftWriter,
  chunk: ChunkMeta,
  offsetIndex: readonly [number, number] | undefined,
): void {
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
  if (offsetIndex !== undefined) {
    thrift.i64(4, offsetIndex[0]);
    thrift.i32(5, offsetIndex[1]);
  }
  thrift.end();
}

function pageEncodingStats(thrift: ThriftWriter, page: number, encoding: number, count: number) {
  thrift.enter();
  thrift.i32(1, page);
  thrift.i32(2, encoding);
  thrift.i32(3, count);
  thrift.end();
}
