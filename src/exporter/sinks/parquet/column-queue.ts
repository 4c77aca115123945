import {
  concatBytes,
  Dictionary,
  type EventColumns,
  rowBytes,
} from "../../engine/event-columns.js";

/** Rows `[from, from + count)` of a block. */
export interface RowSlice {
  readonly block: EventColumns;
  readonly from: number;
  readonly count: number;
}

/** Blocks of columns in arrival order, from which row groups of exact sizes are cut. */
export class ColumnQueue {
  private blocks: EventColumns[] = [];
  /** Blocks whose rows have all been taken, when kept (see {@link takeSpent}). */
  private spent: EventColumns[] | undefined;
  private start = 0; // rows of blocks[0] already taken
  size = 0;
  /** Payload and extra-field bytes of the rows held. */
  bytes = 0;

  /** Keeps the blocks whose rows have all been taken, for {@link takeSpent}. */
  keepSpent(): this {
    this.spent = [];
    return this;
  }

  /** The blocks whose rows have all been taken since the last call (if kept). */
  takeSpent(): EventColumns[] {
    return this.spent?.splice(0) ?? [];
  }

  push(block: EventColumns): void {
    if (block.rows === 0) return;
    this.blocks.push(block);
    this.size += block.rows;
    this.bytes += block.payloadBytes.length + block.extraBytes.length;
  }

  /**
   * How many of the next rows make a group of at most `maxRows` rows and `maxBytes` payload
   * and extra-field bytes (at least one row, however large), so a group's encoding memory is bounded by both.
   */
  groupRows(maxRows: number, maxBytes: number): number {
    let rows = 0;
    let bytes = 0;
    let from = this.start;
    for (const block of this.blocks) {
      for (let k = from; k < block.rows && rows < maxRows; k++) {
        const size = rowBytes(block, k);
        if (rows > 0 && bytes + size > maxBytes) return rows;
        bytes += size;
        rows++;
      }
      if (rows >= maxRows) return rows;
      from = 0;
    }
    return rows;
  }

  /** The next `rows` rows, as slices of the blocks they are in (nothing copied). */
  takeSlices(rows: number): RowSlice[] {
    const slices: RowSlice[] = [];
    let left = rows;
    while (left > 0) {
      const block = this.blocks[0] as EventColumns;
      const count = Math.min(left, block.rows - this.start);
      slices.push({ block, from: this.start, count });
      this.bytes -=
        (block.payloadOffsets[this.start + count] as number) -
        (block.payloadOffsets[this.start] as number) +
        (block.extraOffsets[this.start + count] as number) -
        (block.extraOffsets[this.start] as number);
      left -= count;
      this.start += count;
      if (this.start === block.rows) {
        this.spent?.push(block);
        this.blocks.shift();
        this.start = 0;
      }
    }
    this.size -= rows;
    return slices;
  }

  /** The next `rows` rows as one block of their own (dictionary merged, offsets rebased). */
  take(rows: number): EventColumns {
    const out = new ColumnBuilderFromBlocks(rows);
    for (const { block, from, count } of this.takeSlices(rows)) out.append(block, from, count);
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
  private readonly extraOffsets: Uint32Array;
  private readonly extraParts: Uint8Array[] = [];
  private filled = 0;
  private bytes = 0;
  private extraBytes = 0;

  constructor(private readonly rows: number) {
    this.versionIds = new Uint32Array(rows);
    this.channelIds = new Uint32Array(rows);
    this.eventIds = new Uint32Array(rows);
    this.micros = new BigInt64Array(rows);
    this.offsets = new Uint32Array(rows + 1);
    this.extraOffsets = new Uint32Array(rows + 1);
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
    const firstExtra = block.extraOffsets[from] as number;
    const lastExtra = block.extraOffsets[from + count] as number;
    this.extraParts.push(block.extraBytes.subarray(firstExtra, lastExtra));
    for (let k = 1; k <= count; k++) {
      this.extraOffsets[this.filled + k] =
        this.extraBytes + (block.extraOffsets[from + k] as number) - firstExtra;
    }
    this.extraBytes += lastExtra - firstExtra;
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
      payloadBytes: concatBytes(this.parts),
      payloadOffsets: this.offsets,
      extraBytes: concatBytes(this.extraParts),
      extraOffsets: this.extraOffsets,
    };
  }
}
