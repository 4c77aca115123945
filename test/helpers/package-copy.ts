import { cpSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir } from "./temp-dir.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

/**
 * A second install of the built package, as a dependency's own copy would be: the same files
 * under other paths, so importing its entry gives separate module instances. Returns the entry.
 */
export function secondCopy(): string {
  const dir = tempDir("telemetry-copy-");
  cpSync(join(root, "dist"), join(dir, "dist"), { recursive: true });
  cpSync(join(root, "package.json"), join(dir, "package.json"));
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
  return join(dir, "dist/index.js");
}
