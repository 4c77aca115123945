import { CANONICAL_LINE_WASM, CANONICAL_OBJECT_WASM } from "./canonical-modules.js";

const PAGE = 64 * 1024;
/** The first byte of the checks' memory that is the caller's: page 0 is the modules' own. */
export const CHECK_MEMORY_START = PAGE;
// Where `line` writes what it read of a line, and how many i32 (canonical-line.wat says which).
const RESULTS_AT = 34304;
const RESULTS = 8;

interface WasmApi {
  Memory: new (size: { initial: number }) => { readonly buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/**
 * The WebAssembly checks of a canonical line, for bytes in their memory: `memory` is undefined
 * until {@link makeCheckMemory} made it, and stays so where WebAssembly cannot run
 * (`--jitless`). Both take positions in `memory`, and return -1 when the JavaScript must decide
 * (canonical-object.wat and canonical-line.wat say when): `object(start, end, keyOrder)` the
 * position after the object; `line(start, end, keyOrder)` the position after the line's
 * payload, with what it read of the line in `results` (as positions in `memory`).
 */
export const WASM_CHECK: {
  memory: ArrayBufferLike | undefined;
  object: (start: number, end: number, keyOrder: number) => number;
  line: (start: number, end: number, keyOrder: number) => number;
  results: Int32Array;
} = { memory: undefined, object: () => -1, line: () => -1, results: new Int32Array(RESULTS) };

/**
 * Makes the checks' memory, `bytes` from {@link CHECK_MEMORY_START} on for the caller, once per
 * thread, and returns it; undefined where WebAssembly cannot run. Its size is fixed: growing it
 * would detach its buffer, and V8 then throws away the typed array code it optimized in that
 * thread (test/exporter/detach-early.test.ts).
 */
export function makeCheckMemory(bytes: number): ArrayBuffer | undefined {
  if (WASM_CHECK.memory !== undefined) throw new Error("the checks' memory is made once");
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (api === undefined) return undefined;
  try {
    const memory = new api.Memory({ initial: Math.ceil((CHECK_MEMORY_START + bytes) / PAGE) });
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
