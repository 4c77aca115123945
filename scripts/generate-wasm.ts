// Writes src/schema/wasm/canonical-modules.ts from the .wat files beside it (their source): each
// module's bytes as base64, so that the package and the CLI's bundle carry them with no file to
// find at run time and no assembler installed.
import { writeFileSync } from "node:fs";
import { WASM_SOURCES, wasmModulesText } from "./compile-wat.js";

const target = new URL("../src/schema/wasm/canonical-modules.ts", import.meta.url);
writeFileSync(target, await wasmModulesText());
process.stdout.write(
  `wrote ${target.pathname} (from ${WASM_SOURCES.map((s) => s.file).join(", ")})\n`,
);
