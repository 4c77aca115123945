import { COMPACT_OBJECT_WASM } from "./compact-object-module.js";

// The module's own memory takes page 0; the chunks follow, then a zeroed page, so that a scan
// running past a chunk's last line stops (at a zero byte) inside the memory.
const PAGE = 64 * 1024;
const CHUNK_SLOTS = 4;

interface WasmApi {
  Memory: new (size: { initial: number }) => { readonly buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/**
 * The WebAssembly check of a compact object, for bytes in its memory: `memory` is undefined
 * until a chunk is first asked for, and stays so where WebAssembly cannot run (`--jitless`).
 * `object(start, end, keyOrder)` takes positions in `memory` and returns the position after
 * the object, or -1 when CanonicalJsonBytes must decide (compact-object.wat says when).
 */
export const COMPACT_OBJECT: {
  memory: ArrayBufferLike | undefined;
  object: (start: number, end: number, keyOrder: number) => number;
} = { memory: undefined, object: () => -1 };

let slotBytes = 0;
let free: Buffer[] | undefined;

/**
 * A buffer of `bytes` to read a file's chunks into, in the check's memory when a slot of that
 * size is free (every slot has the size first asked for); else a buffer of its own. Give it
 * back with {@link returnChunkBuffer}.
 */
export function chunkBuffer(bytes: number): Buffer {
  free ??= slots(bytes);
  if (bytes === slotBytes) {
    const slot = free.pop();
    if (slot !== undefined) return slot;
  }
  return Buffer.allocUnsafe(bytes);
}

/** Gives back a buffer from {@link chunkBuffer}: its slot may be handed out again. */
export function returnChunkBuffer(buffer: Buffer): void {
  if (buffer.buffer === COMPACT_OBJECT.memory) free?.push(buffer);
}

function slots(bytes: number): Buffer[] {
  const buffer = instantiate(1 + Math.ceil((bytes * CHUNK_SLOTS) / PAGE) + 1);
  if (buffer === undefined) return [];
  slotBytes = bytes;
  return Array.from({ length: CHUNK_SLOTS }, (_, k) =>
    Buffer.from(buffer, PAGE + k * bytes, bytes),
  );
}

function instantiate(pages: number): ArrayBuffer | undefined {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (api === undefined) return undefined;
  try {
    const memory = new api.Memory({ initial: pages });
    const bytes = Buffer.from(COMPACT_OBJECT_WASM, "base64");
    const { exports } = new api.Instance(new api.Module(bytes), { js: { memory } });
    COMPACT_OBJECT.object = exports.object as typeof COMPACT_OBJECT.object;
    COMPACT_OBJECT.memory = memory.buffer;
    return memory.buffer;
  } catch {
    return undefined;
  }
}
