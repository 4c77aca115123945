// The WebAssembly text format assembled by wabt (a dev dependency: only `make wasm` and the test
// that checks the committed module against its source need it).
import wabtInit from "wabt";

/** The binary module of `wat`, validated. */
export async function compileWat(wat: string): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const module = wabt.parseWat("compact-object.wat", wat);
  try {
    module.validate();
    return new Uint8Array(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}
