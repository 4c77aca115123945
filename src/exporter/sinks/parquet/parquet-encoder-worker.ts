// Worker thread: encodes Parquet row groups, so their transient memory lives in a capped heap.
import { parentPort, workerData } from "node:worker_threads";
import { detachEarly } from "../../engine/detach-early.js";
import { concatBytes, type EventColumns } from "../../engine/event-columns.js";
import { movable } from "../../engine/segment-memory.js";
import { ColumnQueue } from "./column-queue.js";
import { type EncoderData, MAX_GROUP_BYTES } from "./encoder-thread.js";
import { ParquetEncoder } from "./parquet-encoder.js";

type Request =
  | { kind: "rows"; columns: EventColumns; returned?: ArrayBuffer[] }
  | { kind: "finish" }
  | { kind: "file"; columns: EventColumns; omit: string[] };

const { generator, rowGroupSize } = workerData as EncoderData;
// Before any code is optimized: this thread transfers every file part it encodes.
detachEarly();

// A whole file at once: magic, one row group and footer (for the parts of a partitioned export).
function encodeFile(columns: EventColumns, omit: readonly string[]): Uint8Array {
  const encoder = new ParquetEncoder(generator, omit);
  return concatBytes([
    encoder.encodeGroup([{ block: columns, from: 0, count: columns.rows }]),
    encoder.finish(),
  ]);
}

// Rows are queued here, not in the main thread, so their buffers are held (and freed) in one
// place: the main thread only forwards each segment's columns.
const queue = new ColumnQueue().keepSpent();
const single = new ParquetEncoder(generator);

function encodeGroups(all: boolean): Uint8Array[] {
  const out: Uint8Array[] = [];
  while (queue.size >= rowGroupSize || queue.bytes >= MAX_GROUP_BYTES || (all && queue.size > 0)) {
    const slices = queue.takeSlices(queue.groupRows(rowGroupSize, MAX_GROUP_BYTES));
    out.push(single.encodeGroup(slices));
  }
  return out;
}

/**
 * The payload memory of blocks fully encoded, sent back for the readers to fill again: buffers
 * that arrive by transfer are freed only by a full collection, which this thread, making little
 * garbage, runs late (they were most of its peak memory).
 */
function spentMemory(): ArrayBufferLike[] {
  const memory = new Set<ArrayBufferLike>();
  for (const block of queue.takeSpent()) {
    const buffer = block.payloadBytes.buffer;
    if (buffer.byteLength >= 64 * 1024) memory.add(buffer);
  }
  return [...memory];
}

function handle(request: Request): Uint8Array {
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

const port = parentPort;
if (port !== null) {
  port.on("message", (request: Request) => {
    try {
      const bytes = handle(request);
      const spent = request.kind === "rows" ? spentMemory() : [];
      port.postMessage({ ok: true, bytes, spent }, [
        bytes.buffer as ArrayBuffer,
        ...movable(spent),
      ]);
    } catch (error) {
      port.postMessage({
        ok: false,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  });
}
