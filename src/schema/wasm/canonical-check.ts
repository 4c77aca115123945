import { CANONICAL_LINE_WASM, CANONICAL_OBJECT_WASM } from "./canonical-modules.js";

// The module's own memory takes page 0; the chunks follow, then a zeroed page, so that a scan
// running past a chunk's last line stops (at a zero byte) inside the memory.
const PAGE = 64 * 1024;
const CHUNK_SLOTS = 4;
// Where `line` writes what it read of a line, and how many i32 (canonical-line.wat says which).
const RESULTS_AT = 34304;
const RESULTS = 8;

interface WasmApi {
  Memory: new (size: { initial: number }) => { readonly buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/**
 * The WebAssembly checks of a canonical line, for bytes in its memory: `memory` is undefined
 * until a chunk is first asked for, and stays so where WebAssembly cannot run (`--jitless`).
 * Both take positions in `memory`, and return -1 when the JavaScript must decide
 * (canonical-object.wat and canonical-line.wat say when): `object(start, end, keyOrder)` the position after the
 * object; `line(start, end, keyOrder)` the position after the line's payload, with what it read
 * of the line in `results` (as positions in `memory`).
 */
export const WASM_CHECK: {
  memory: ArrayBufferLike | undefined;
  object: (start: number, end: number, keyOrder: number) => number;
  line: (start: number, end: number, keyOrder: number) => number;
  results: Int32Array;
} = { memory: undefined, object: () => -1, line: () => -1, results: new Int32Array(RESULTS) };

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
  if (buffer.buffer === WASM_CHECK.memory) free?.push(buffer);
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
    const objectCheck = instance(api, CANONICAL_OBJECT_WASM, { memory });
    const lineCheck = instance(api, CANONICAL_LINE_WASM, { memory, object: objectCheck.object });
    WASM_CHECK.object = objectCheck.object as typeof WASM_CHECK.object;
    WASM_CHECK.line = lineCheck.line as typeof WASM_CHECK.line;
    WASM_CHECK.results = new Int32Array(memory.buffer, RESULTS_AT, RESULTS);
    WASM_CHECK.memory = memory.buffer;
    return memory.buffer;
  } catch {
    return undefined;
  }
}

function instance(api: WasmApi, base64: string, js: object): Record<string, unknown> {
  return new api.Instance(new api.Module(Buffer.from(base64, "base64")), { js }).exports;
}
