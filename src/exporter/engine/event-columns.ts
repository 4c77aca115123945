import { movable, segmentBuffer } from "./segment-memory.js";

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
  /**
   * The object of each row's non-core top-level fields as JSON text; an empty range is null (no
   * such fields: a row's object is never empty).
   */
  readonly extraBytes: Uint8Array;
  /** rows + 1 offsets into extraBytes. */
  readonly extraOffsets: Uint32Array;
}

/** Where some text's UTF-8 bytes are: `buffer[start, end)`. */
interface ByteText {
  readonly buffer: Uint8Array;
  readonly start: number;
  readonly end: number;
}

/** Bytes of row `k`'s payload and extra fields, which bound a row group's memory. */
export function rowBytes(columns: EventColumns, k: number): number {
  const { payloadOffsets, extraOffsets } = columns;
  return (
    (payloadOffsets[k + 1] as number) -
    (payloadOffsets[k] as number) +
    (extraOffsets[k + 1] as number) -
    (extraOffsets[k] as number)
  );
}

/** The buffers of `columns`, for a transfer list (any shared one left out, see movable). */
export function columnBuffers(columns: EventColumns): ArrayBuffer[] {
  const { versionIds, channelIds, eventIds, micros, payloadBytes, payloadOffsets } = columns;
  const { extraBytes, extraOffsets } = columns;
  const buffers = [versionIds, channelIds, eventIds, micros, payloadBytes, payloadOffsets];
  buffers.push(extraOffsets);
  // Rows without extra fields share one empty buffer, which must be listed once.
  if (!buffers.some((b) => b.buffer === extraBytes.buffer)) buffers.push(extraBytes);
  return movable(buffers.map((a) => a.buffer));
}

// Which 32-bit word of a 64-bit integer holds its low half, in this machine's byte order.
const LOW_WORD = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? 0 : 1;

function grow<T extends Uint32Array | BigInt64Array>(array: T, size: number): T {
  if (size <= array.length) return array;
  const next = new (array.constructor as new (n: number) => T)(Math.max(size, array.length * 2));
  next.set(array as never);
  return next;
}

/** Interns strings as small ids, in first-seen order. */
export class Dictionary {
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
  // The same memory as pairs of 32-bit words, so a number is stored without making a BigInt.
  private microsWords = new Int32Array(this.micros.buffer);
  private payloadOffsets = new Uint32Array(1025);
  private payload: Buffer;
  private payloadUsed = 0;
  private extraOffsets = new Uint32Array(1025);
  // Allocated on the first row with extra fields (the Tracker writes none).
  private extra: Buffer | undefined;
  private extraUsed = 0;
  // The last value of each dictionary column and its id: versions are all one, and channels
  // come in long runs (a file per channel), so most rows skip the dictionary's hash lookup.
  private readonly lastValues = ["", "", ""];
  private readonly lastIds = [-1, -1, -1];

  /**
   * `expectedBytes`: about what the segment read, an upper bound of its payload bytes in the
   * common case, so the buffer is allocated once and handed over as it is (growing and copying
   * left garbage buffers that a worker's small heap is slow to collect: peak RSS). `spare`: the
   * payload memory of an earlier block, already encoded, used when it is large enough (fresh
   * buffers wait for a collection to be freed, which a thread with little garbage runs late).
   */
  constructor(expectedBytes = 256 * 1024, spare?: ArrayBufferLike) {
    this.payload = segmentBuffer(expectedBytes, spare, false);
  }

  /**
   * Adds a row. `payload` is the payload's JSON text, or where its UTF-8 bytes already are
   * (`buffer[start, end)`, copied as they are). `extra`: the JSON text of the object of the
   * event's other top-level fields, if it has any (or where its bytes are).
   */
  add(
    version: string,
    channel: string,
    event: string,
    micros: bigint | number,
    payload: string | ByteText,
    extra?: string | ByteText,
  ): void {
    const row = this.rows++;
    if (this.rows > this.versionIds.length) this.growRows();
    this.versionIds[row] = this.idOf(0, version);
    this.channelIds[row] = this.idOf(1, channel);
    this.eventIds[row] = this.idOf(2, event);
    if (typeof micros === "bigint") this.micros[row] = micros;
    else {
      const high = Math.floor(micros / 2 ** 32);
      this.microsWords[2 * row + LOW_WORD] = micros - high * 2 ** 32;
      this.microsWords[2 * row + 1 - LOW_WORD] = high;
    }
    const worst = typeof payload === "string" ? payload.length * 3 : payload.end - payload.start;
    if (this.payloadUsed + worst > this.payload.length) {
      const next = Buffer.allocUnsafeSlow(
        Math.max(this.payload.length * 2, this.payloadUsed + worst),
      );
      this.payload.copy(next, 0, 0, this.payloadUsed);
      this.payload = next;
    }
    this.payloadUsed +=
      typeof payload === "string"
        ? this.payload.write(payload, this.payloadUsed)
        : copyInto(this.payload, this.payloadUsed, payload.buffer, payload.start, payload.end);
    this.payloadOffsets[row + 1] = this.payloadUsed;
    if (extra !== undefined) this.addExtra(extra);
    this.extraOffsets[row + 1] = this.extraUsed;
  }

  private idOf(column: number, value: string): number {
    if (this.lastValues[column] === value) return this.lastIds[column] as number;
    const id = this.dictionary.id(value);
    this.lastValues[column] = value;
    this.lastIds[column] = id;
    return id;
  }

  // Every per-row array has room for `capacity` rows (the offsets for one more).
  private growRows(): void {
    const capacity = this.versionIds.length * 2;
    this.versionIds = grow(this.versionIds, capacity);
    this.channelIds = grow(this.channelIds, capacity);
    this.eventIds = grow(this.eventIds, capacity);
    this.micros = grow(this.micros, capacity);
    this.microsWords = new Int32Array(this.micros.buffer);
    this.payloadOffsets = grow(this.payloadOffsets, capacity + 1);
    this.extraOffsets = grow(this.extraOffsets, capacity + 1);
  }

  private addExtra(extra: string | ByteText): void {
    const worst = typeof extra === "string" ? extra.length * 3 : extra.end - extra.start;
    const buffer = this.extra;
    if (buffer === undefined || this.extraUsed + worst > buffer.length) {
      const next = Buffer.allocUnsafeSlow(
        Math.max(1024, (buffer?.length ?? 0) * 2, this.extraUsed + worst),
      );
      buffer?.copy(next, 0, 0, this.extraUsed);
      this.extra = next;
    }
    const target = this.extra as Buffer;
    this.extraUsed +=
      typeof extra === "string"
        ? target.write(extra, this.extraUsed)
        : copyInto(target, this.extraUsed, extra.buffer, extra.start, extra.end);
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
      // A view over the builder's own memory (never Buffer's shared pool), transferred as is.
      payloadBytes: new Uint8Array(this.payload.buffer, this.payload.byteOffset, this.payloadUsed),
      payloadOffsets: this.payloadOffsets.slice(0, n + 1),
      extraBytes:
        this.extra === undefined
          ? new Uint8Array(0)
          : new Uint8Array(this.extra.buffer, this.extra.byteOffset, this.extraUsed),
      extraOffsets: this.extraOffsets.slice(0, n + 1),
    };
  }
}

/** The bytes of `parts` in one fresh buffer of its own (never pooled: safe to transfer). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
