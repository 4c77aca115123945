import { CHECK_MEMORY_START, makeCheckMemory } from "../../schema/wasm/canonical-check.js";

// With 64 KiB chunks, a reader thread's work per chunk (cutting it, holding a line that spans
// two) ran so often that V8 optimized it, Node's Buffer code included, in every thread: 256 KiB
// took 0.974 of the time for `aggregate`, 0.957 for the JSON export, 0.970 for Parquet (1M
// events, whole process). 1 MiB chunks were no faster for Python's lines (1.009).
export const CHUNK_BYTES = 256 * 1024;
/**
 * The text output's stage: lines are gathered there, then copied into shared memory in blocks
 * (text-output.ts says why), and a word more for the blocks' alignment.
 */
export const STAGE_BYTES = 128 * 1024 + 8;
// A thread reads one segment at a time (a few when one waits on its consumer): more are made
// as plain memory, and read in JavaScript.
const SLOTS = 4;
// After the slots, a zeroed page: a check running past a chunk's last line stops there (at a
// zero byte), inside the memory.
const GUARD_BYTES = 64 * 1024;

/**
 * A reader thread's memory for chunks and stages, the WebAssembly checks' memory
 * (src/schema/wasm/canonical-check.ts): lines read into it are checked there, and a line copied
 * from a chunk to a stage is one copyWithin. Made at the first call of the thread.
 */
interface Slots {
  readonly chunks: Buffer[];
  readonly stages: Uint8Array[];
  readonly memory: ArrayBufferLike | undefined;
}
let slots: Slots | undefined;

function made(): Slots {
  if (slots !== undefined) return slots;
  const memory = makeCheckMemory(SLOTS * (CHUNK_BYTES + STAGE_BYTES) + GUARD_BYTES);
  const chunks: Buffer[] = [];
  const stages: Uint8Array[] = [];
  if (memory !== undefined) {
    for (let k = 0; k < SLOTS; k++) {
      chunks.push(Buffer.from(memory, CHECK_MEMORY_START + k * CHUNK_BYTES, CHUNK_BYTES));
      const at = CHECK_MEMORY_START + SLOTS * CHUNK_BYTES + k * STAGE_BYTES;
      stages.push(new Uint8Array(memory, at, STAGE_BYTES));
    }
  }
  slots = { chunks, stages, memory };
  return slots;
}

/** A buffer of {@link CHUNK_BYTES} to read into; give it back with {@link returnChunk}. */
export function takeChunk(): Buffer {
  return made().chunks.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
}

/** Gives back a buffer from {@link takeChunk}. */
export function returnChunk(chunk: Buffer): void {
  giveBack(made().chunks, chunk);
}

/** A stage of {@link STAGE_BYTES}, or of `bytes` when fewer will do; give it back with {@link returnStage}. */
export function takeStage(bytes = STAGE_BYTES): Uint8Array {
  if (bytes < STAGE_BYTES) return new Uint8Array(bytes);
  return made().stages.pop() ?? new Uint8Array(STAGE_BYTES);
}

/** Gives back a stage from {@link takeStage}. */
export function returnStage(stage: Uint8Array): void {
  giveBack(made().stages, stage);
}

/** Whether `bytes` are in the WebAssembly checks' memory (a slot, not plain memory). */
export function inCheckMemory(bytes: Uint8Array): boolean {
  return bytes.buffer === made().memory;
}

// A slot given back twice would be handed to two users at once.
function giveBack<T extends Uint8Array>(free: T[], slot: T): void {
  if (inCheckMemory(slot) && !free.includes(slot)) free.push(slot);
}
