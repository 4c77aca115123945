import type { EventColumns } from "../../engine/event-columns.js";
import { ByteBuffer } from "./byte-buffer.js";
import {
  type ChunkMeta,
  type ChunkStatistics,
  ChunkWriter,
  type GroupOutput,
  PARQUET,
} from "./chunk-writer.js";
import type { RowSlice } from "./column-queue.js";
import { writeRleHybrid } from "./rle-hybrid.js";

/** Values in one data page at most (before compression), as most writers cut them. */
const PAGE_BYTES = 1 << 20;

if (new Uint8Array(Uint16Array.of(1).buffer)[0] !== 1) {
  // Timestamps are copied to pages as the bytes of a BigInt64Array: Parquet's INT64 is little-endian.
  throw new Error("the Parquet encoder needs a little-endian machine");
}

const encoder = new TextEncoder();

/** Buffers reused from one column chunk to the next. */
export class Scratch {
  readonly page = new ByteBuffer(PAGE_BYTES + (1 << 16));
  readonly levels = new ByteBuffer();
  private ids = new Uint32Array(1 << 16);

  idsFor(rows: number): Uint32Array {
    if (this.ids.length < rows) this.ids = new Uint32Array(Math.max(rows, this.ids.length * 2));
    return this.ids;
  }
}

/**
 * A dictionary-encoded string column (schema version, channel, event): the chunk's distinct
 * values in a PLAIN dictionary page, then one data page of their ids (bit width, then the
 * RLE / bit-packing hybrid). Ids of the blocks' dictionaries are remapped to the chunk's own.
 */
export function writeDictionaryColumn(
  group: GroupOutput,
  scratch: Scratch,
  name: string,
  slices: readonly RowSlice[],
  pick: (block: EventColumns) => Uint32Array,
): ChunkMeta {
  const ids = scratch.idsFor(slices.reduce((n, s) => n + s.count, 0));
  const local = new Map<string, number>();
  const values: string[] = [];
  let row = 0;
  for (const { block, from, count } of slices) {
    row = remapIds(pick(block), from, count, block.dictionary, ids, row, local, values);
  }
  const chunk = new ChunkWriter(group, name, PARQUET.BYTE_ARRAY, PARQUET.RLE_DICTIONARY);
  const { page } = scratch;
  page.length = 0;
  let min: Uint8Array | undefined;
  let max: Uint8Array | undefined;
  for (const value of values) {
    const bytes = encoder.encode(value);
    page.uint32(bytes.length);
    page.append(bytes);
    if (min === undefined || Buffer.compare(bytes, min) < 0) min = bytes;
    if (max === undefined || Buffer.compare(bytes, max) > 0) max = bytes;
  }
  chunk.dictionaryPage(page.view(), values.length);
  const bitWidth = values.length <= 1 ? 0 : 32 - Math.clz32(values.length - 1);
  page.length = 0;
  page.byte(bitWidth);
  writeRleHybrid(page, ids, row, bitWidth);
  chunk.dataPage(new Uint8Array(0), page.view(), row, 0, 0);
  return chunk.done(stats(min, max, 0));
}

/**
 * Appends the chunk's ids of `source[from, from + count)` (ids into `dictionary`) to `ids` at
 * `row`, adding new values to the chunk's dictionary (`local`, `values`); returns the next row.
 * The loop over rows is a function of its own, as in the other writers here: V8 optimizes it
 * alone, instead of the whole writer from inside the loop, once per group with what it has seen
 * so far (the encoder spent 0.17 s compiling and recompiling them, BENCHMARKS.md, round seven).
 */
function remapIds(
  source: Uint32Array,
  from: number,
  count: number,
  dictionary: readonly string[],
  ids: Uint32Array,
  row: number,
  local: Map<string, number>,
  values: string[],
): number {
  const remap = new Int32Array(dictionary.length).fill(-1);
  let at = row;
  for (let k = from; k < from + count; k++) {
    const blockId = source[k] as number;
    let id = remap[blockId] as number;
    if (id < 0) {
      const value = dictionary[blockId] as string;
      id = local.get(value) ?? values.length;
      if (id === values.length) {
        local.set(value, id);
        values.push(value);
      }
      remap[blockId] = id;
    }
    ids[at++] = id;
  }
  return at;
}

/** The timestamp column: INT64 microseconds, PLAIN, with its minimum and maximum. */
export function writeTimestampColumn(
  group: GroupOutput,
  scratch: Scratch,
  slices: readonly RowSlice[],
): ChunkMeta {
  const chunk = new ChunkWriter(group, "timestamp", PARQUET.INT64, PARQUET.PLAIN);
  const { page } = scratch;
  const rows = slices.reduce((n, s) => n + s.count, 0);
  page.length = 0;
  page.reserve(rows * 8);
  for (const { block, from, count } of slices) {
    const { micros } = block;
    page.append(new Uint8Array(micros.buffer, micros.byteOffset + from * 8, count * 8));
  }
  const words = new Int32Array(page.bytes.buffer, page.bytes.byteOffset, rows * 2);
  const min = extremeRow(words, rows, -1);
  const max = extremeRow(words, rows, 1);
  const bound = (k: number) => page.bytes.slice(k * 8, k * 8 + 8);
  const statistics = stats(bound(min), bound(max), 0);
  chunk.dataPage(new Uint8Array(0), page.view(), rows, 0, 0);
  return chunk.done(statistics);
}

/**
 * The row of the least (`sign` -1) or greatest (1) of `rows` signed 64-bit values given as
 * pairs of 32-bit words, compared as (signed high word, unsigned low word): no BigInt per row.
 */
function extremeRow(words: Int32Array, rows: number, sign: number): number {
  let best = 0;
  for (let k = 1; k < rows; k++) {
    const high = words[2 * k + 1] as number;
    const bestHigh = words[2 * best + 1] as number;
    const order =
      high !== bestHigh
        ? high - bestHigh
        : ((words[2 * k] as number) >>> 0) - ((words[2 * best] as number) >>> 0);
    if (order * sign > 0) best = k;
  }
  return best;
}

/**
 * A JSON text column, PLAIN (each value's length, then its bytes), cut into pages of about
 * `PAGE_BYTES` at row boundaries. An `optional` column (extra) has definition levels: an empty
 * range is a null.
 */
export function writeBytesColumn(
  group: GroupOutput,
  scratch: Scratch,
  name: string,
  slices: readonly RowSlice[],
  pick: (block: EventColumns) => { bytes: Uint8Array; offsets: Uint32Array },
  optional: boolean,
): ChunkMeta {
  const chunk = new ChunkWriter(group, name, PARQUET.BYTE_ARRAY, PARQUET.PLAIN);
  const defined = optional ? scratch.idsFor(slices.reduce((n, s) => n + s.count, 0)) : undefined;
  const pages = new BytesPages(chunk, scratch.page, scratch.levels, defined);
  for (const { block, from, count } of slices) {
    const { bytes, offsets } = pick(block);
    pages.add(bytes, offsets, from, count);
  }
  if (pages.pageRows > 0 || pages.row === 0) pages.flush();
  return chunk.done(undefined);
}

/** The data pages of a JSON text column being written (see writeBytesColumn). */
class BytesPages {
  pageRows = 0;
  row = 0;
  private nulls = 0;

  constructor(
    private readonly chunk: ChunkWriter,
    private readonly page: ByteBuffer,
    private readonly levels: ByteBuffer,
    private readonly defined: Uint32Array | undefined,
  ) {
    page.length = 0;
  }

  /** Adds the values `from` to `from + count` of a block (an empty one is a null if optional). */
  add(bytes: Uint8Array, offsets: Uint32Array, from: number, count: number): void {
    const { page, defined } = this;
    for (let k = from; k < from + count; k++) {
      const start = offsets[k] as number;
      const length = (offsets[k + 1] as number) - start;
      if (this.pageRows > 0 && page.length + 4 + length > PAGE_BYTES) this.flush();
      if (defined !== undefined) defined[this.pageRows] = length > 0 ? 1 : 0;
      if (length > 0 || defined === undefined) {
        page.uint32(length);
        page.reserve(length);
        page.bytes.set(bytes.subarray(start, start + length), page.length);
        page.length += length;
      } else this.nulls++;
      this.pageRows++;
      this.row++;
    }
  }

  /** Writes the page so far (with its definition levels if optional), and starts the next. */
  flush(): void {
    const { levels, page, defined } = this;
    levels.length = 0;
    if (defined !== undefined) writeRleHybrid(levels, defined, this.pageRows, 1);
    this.chunk.dataPage(
      levels.view(),
      page.view(),
      this.pageRows,
      this.nulls,
      this.row - this.pageRows,
    );
    page.length = 0;
    this.pageRows = 0;
    this.nulls = 0;
  }
}

function stats(min: Uint8Array | undefined, max: Uint8Array | undefined, nulls: number) {
  return min === undefined || max === undefined
    ? undefined
    : ({ min, max, nulls } satisfies ChunkStatistics);
}
