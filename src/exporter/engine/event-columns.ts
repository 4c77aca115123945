import { canonicalToEpochMicros } from "../../schema/timestamp.js";

/**
 * Events as Parquet-ready columns in transferable form: strings of the low-cardinality columns
 * as ids into a small dictionary, payload JSON as one UTF-8 buffer with offsets. Threads pass
 * them without copying, and no per-row string object exists until the encoder needs one.
 */
export interface EventColumns {
  readonly rows: number;
  readonly dictionary: string[];
  readonly versionIds: Uint32Array;
  readonly channelIds: Uint32Array;
  readonly eventIds: Uint32Array;
  readonly micros: BigInt64Array;
  readonly payloadBytes: Uint8Array;
  /** rows + 1 offsets into payloadBytes. */
  readonly payloadOffsets: Uint32Array;
}

/** The buffers of `columns`, for a transfer list. */
export function columnBuffers(columns: EventColumns): ArrayBuffer[] {
  const { versionIds, channelIds, eventIds, micros, payloadBytes, payloadOffsets } = columns;
  return [versionIds, channelIds, eventIds, micros, payloadBytes, payloadOffsets].map(
    (a) => a.buffer as ArrayBuffer,
  );
}

function grow<T extends Uint32Array | BigInt64Array>(array: T, size: number): T {
  if (size <= array.length) return array;
  const next = new (array.constructor as new (n: number) => T)(Math.max(size, array.length * 2));
  next.set(array as never);
  return next;
}

/** Interns strings as small ids, in first-seen order. */
class Dictionary {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];

  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }
}

function copyInto(
  target: Buffer,
  at: number,
  source: Uint8Array,
  start: number,
  end: number,
): number {
  Uint8Array.prototype.set.call(target, source.subarray(start, end), at);
  return end - start;
}

/** Builds {@link EventColumns} row by row. */
export class ColumnBuilder {
  private rows = 0;
  private readonly dictionary = new Dictionary();
  private versionIds = new Uint32Array(1024);
  private channelIds = new Uint32Array(1024);
  private eventIds = new Uint32Array(1024);
  private micros = new BigInt64Array(1024);
  private payloadOffsets = new Uint32Array(1025);
  private payload = Buffer.allocUnsafe(256 * 1024);
  private payloadUsed = 0;

  /**
   * Adds a row. `payload` is the payload's JSON text, or where its UTF-8 bytes already are
   * (`buffer[start, end)`, copied as they are).
   */
  add(
    version: string,
    channel: string,
    event: string,
    timestamp: string,
    payload: string | { readonly buffer: Uint8Array; readonly start: number; readonly end: number },
  ): void {
    const row = this.rows++;
    this.versionIds = grow(this.versionIds, this.rows);
    this.channelIds = grow(this.channelIds, this.rows);
    this.eventIds = grow(this.eventIds, this.rows);
    this.micros = grow(this.micros, this.rows);
    this.payloadOffsets = grow(this.payloadOffsets, this.rows + 1);
    this.versionIds[row] = this.dictionary.id(version);
    this.channelIds[row] = this.dictionary.id(channel);
    this.eventIds[row] = this.dictionary.id(event);
    this.micros[row] = canonicalToEpochMicros(timestamp);
    const worst = typeof payload === "string" ? payload.length * 3 : payload.end - payload.start;
    if (this.payloadUsed + worst > this.payload.length) {
      const next = Buffer.allocUnsafe(Math.max(this.payload.length * 2, this.payloadUsed + worst));
      this.payload.copy(next, 0, 0, this.payloadUsed);
      this.payload = next;
    }
    this.payloadUsed +=
      typeof payload === "string"
        ? this.payload.write(payload, this.payloadUsed)
        : copyInto(this.payload, this.payloadUsed, payload.buffer, payload.start, payload.end);
    this.payloadOffsets[row + 1] = this.payloadUsed;
  }

  done(): EventColumns {
    const n = this.rows;
    return {
      rows: n,
      dictionary: this.dictionary.values,
      versionIds: this.versionIds.slice(0, n),
      channelIds: this.channelIds.slice(0, n),
      eventIds: this.eventIds.slice(0, n),
      micros: this.micros.slice(0, n),
      payloadBytes: new Uint8Array(this.payload.subarray(0, this.payloadUsed)),
      payloadOffsets: this.payloadOffsets.slice(0, n + 1),
    };
  }
}

/** Blocks of columns in arrival order, from which row groups of exact sizes are cut. */
export class ColumnQueue {
  private blocks: EventColumns[] = [];
  private start = 0; // rows of blocks[0] already taken
  size = 0;
  /** Payload bytes of the rows held. */
  bytes = 0;

  push(block: EventColumns): void {
    if (block.rows === 0) return;
    this.blocks.push(block);
    this.size += block.rows;
    this.bytes += block.payloadBytes.length;
  }

  /**
   * How many of the next rows make a group of at most `maxRows` rows and `maxBytes` payload
   * bytes (at least one row, however large), so a group's encoding memory is bounded by both.
   */
  groupRows(maxRows: number, maxBytes: number): number {
    let rows = 0;
    let bytes = 0;
    let from = this.start;
    for (const block of this.blocks) {
      for (let k = from; k < block.rows && rows < maxRows; k++) {
        const size = (block.payloadOffsets[k + 1] as number) - (block.payloadOffsets[k] as number);
        if (rows > 0 && bytes + size > maxBytes) return rows;
        bytes += size;
        rows++;
      }
      if (rows >= maxRows) return rows;
      from = 0;
    }
    return rows;
  }

  /** The next `rows` rows as one block (dictionary merged, offsets rebased). */
  take(rows: number): EventColumns {
    const out = new ColumnBuilderFromBlocks(rows);
    let left = rows;
    while (left > 0) {
      const block = this.blocks[0] as EventColumns;
      const count = Math.min(left, block.rows - this.start);
      out.append(block, this.start, count);
      this.bytes -=
        (block.payloadOffsets[this.start + count] as number) -
        (block.payloadOffsets[this.start] as number);
      left -= count;
      this.start += count;
      if (this.start === block.rows) {
        this.blocks.shift();
        this.start = 0;
      }
    }
    this.size -= rows;
    return out.done();
  }
}

class ColumnBuilderFromBlocks {
  private readonly dictionary = new Dictionary();
  private readonly versionIds: Uint32Array;
  private readonly channelIds: Uint32Array;
  private readonly eventIds: Uint32Array;
  private readonly micros: BigInt64Array;
  private readonly offsets: Uint32Array;
  private readonly parts: Uint8Array[] = [];
  private filled = 0;
  private bytes = 0;

  constructor(private readonly rows: number) {
    this.versionIds = new Uint32Array(rows);
    this.channelIds = new Uint32Array(rows);
    this.eventIds = new Uint32Array(rows);
    this.micros = new BigInt64Array(rows);
    this.offsets = new Uint32Array(rows + 1);
  }

  append(block: EventColumns, from: number, count: number): void {
    const remap = block.dictionary.map((value) => this.dictionary.id(value));
    for (let k = 0; k < count; k++) {
      const row = this.filled + k;
      this.versionIds[row] = remap[block.versionIds[from + k] as number] as number;
      this.channelIds[row] = remap[block.channelIds[from + k] as number] as number;
      this.eventIds[row] = remap[block.eventIds[from + k] as number] as number;
    }
    this.micros.set(block.micros.subarray(from, from + count), this.filled);
    const first = block.payloadOffsets[from] as number;
    const last = block.payloadOffsets[from + count] as number;
    this.parts.push(block.payloadBytes.subarray(first, last));
    for (let k = 1; k <= count; k++) {
      this.offsets[this.filled + k] =
        this.bytes + (block.payloadOffsets[from + k] as number) - first;
    }
    this.bytes += last - first;
    this.filled += count;
  }

  done(): EventColumns {
    return {
      rows: this.rows,
      dictionary: this.dictionary.values,
      versionIds: this.versionIds,
      channelIds: this.channelIds,
      eventIds: this.eventIds,
      micros: this.micros,
      // A fresh buffer of its own: it is transferred, and a pooled Buffer must never be.
      payloadBytes: concat(this.parts, this.bytes),
      payloadOffsets: this.offsets,
    };
  }
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The row strings the Parquet library takes (made only in the encoder). */
export function expandColumns(c: EventColumns) {
  const strings = (ids: Uint32Array) => Array.from(ids, (id) => c.dictionary[id] as string);
  const decoder = Buffer.from(
    c.payloadBytes.buffer,
    c.payloadBytes.byteOffset,
    c.payloadBytes.byteLength,
  );
  const payloads = new Array<string>(c.rows);
  for (let k = 0; k < c.rows; k++) {
    payloads[k] = decoder.toString("utf8", c.payloadOffsets[k], c.payloadOffsets[k + 1]);
  }
  return {
    versions: strings(c.versionIds),
    channels: strings(c.channelIds),
    events: strings(c.eventIds),
    micros: c.micros,
    payloads,
  };
}
