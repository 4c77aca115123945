// The Parquet encoder's side of EncoderThread's requests: run by its worker thread, or by the
// main thread when that thread could not start (encoder-thread.ts).
import { concatBytes, type EventColumns } from "../../engine/event-columns.js";
import { ColumnQueue } from "./column-queue.js";
import { type EncoderData, MAX_GROUP_BYTES } from "./encoder-data.js";
import { ParquetEncoder } from "./parquet-encoder.js";

/** What EncoderThread asks the encoder. */
export type EncoderRequest =
  | { kind: "rows"; columns: EventColumns; returned?: ArrayBuffer[] }
  | { kind: "finish" }
  | { kind: "file"; columns: EventColumns; omit: string[] };

/** A request's answer: the bytes encoded, and memory of rows done with, for the readers. */
export interface EncoderAnswer {
  readonly bytes: Uint8Array;
  readonly spent: ArrayBufferLike[];
}

/** The encoder of one writer: answers its requests, in order. */
export function encoderSession({ generator, rowGroupSize }: EncoderData) {
  // Rows are queued here, not by the writer, so their buffers are held (and freed) in one
  // place: the writer only forwards each segment's columns.
  const queue = new ColumnQueue().keepSpent();
  const single = new ParquetEncoder(generator);

  // A whole file at once: magic, one row group and footer (for the parts of a partitioned export).
  function encodeFile(columns: EventColumns, omit: readonly string[]): Uint8Array {
    const encoder = new ParquetEncoder(generator, omit);
    return concatBytes([
      encoder.encodeGroup([{ block: columns, from: 0, count: columns.rows }]),
      encoder.finish(),
    ]);
  }

  function encodeGroups(all: boolean): Uint8Array[] {
    const out: Uint8Array[] = [];
    while (
      queue.size >= rowGroupSize ||
      queue.bytes >= MAX_GROUP_BYTES ||
      (all && queue.size > 0)
    ) {
      const slices = queue.takeSlices(queue.groupRows(rowGroupSize, MAX_GROUP_BYTES));
      out.push(single.encodeGroup(slices));
    }
    return out;
  }

  /**
   * The payload memory of blocks fully encoded, sent back for the readers to fill again: buffers
   * that arrive by transfer are freed only by a full collection, which the encoder's thread,
   * making little garbage, runs late (they were most of its peak memory).
   */
  function spentMemory(): ArrayBufferLike[] {
    const memory = new Set<ArrayBufferLike>();
    for (const block of queue.takeSpent()) {
      const buffer = block.payloadBytes.buffer;
      if (buffer.byteLength >= 64 * 1024) memory.add(buffer);
    }
    return [...memory];
  }

  function encode(request: EncoderRequest): Uint8Array {
    if (request.kind === "file") return encodeFile(request.columns, request.omit);
    if (request.kind === "rows") {
      for (const memory of request.returned ?? []) single.reuse(memory);
      queue.push(request.columns);
      const groups = encodeGroups(false);
      // Usually one group or none: its bytes are already a buffer of their own.
      return groups.length === 1 ? (groups[0] as Uint8Array) : concatBytes(groups);
    }
    return concatBytes([...encodeGroups(true), single.finish()]);
  }

  return (request: EncoderRequest): EncoderAnswer => {
    const bytes = encode(request);
    return { bytes, spent: request.kind === "rows" ? spentMemory() : [] };
  };
}
