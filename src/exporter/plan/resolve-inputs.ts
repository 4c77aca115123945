import { existsSync, lstatSync, readdirSync, statSync } from "node:fs";
import { join, normalize } from "node:path";
import { expandGlob, isGlob } from "./glob.js";
import { dropPendingCompressions, isTelemetryFileName, sortInputPaths } from "./rotated-names.js";

/** The files to read, in the order they are read, and the inputs that did not exist. */
export interface ResolvedInputs {
  readonly files: readonly string[];
  readonly missing: readonly string[];
}

// Every entry with a telemetry name, even a directory or a FIFO: reading reports why it is
// unreadable, where skipping it would hide it.
function directoryFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter(isTelemetryFileName)
    .map((name) => join(dir, name));
}

/**
 * Resolves `--input` values: a directory means its JSON Lines files, live, compressed and rotated
 * (`*.jsonl`, `*.jsonl.gz`, logrotate's `*.jsonl.N[.gz]` and `*.jsonl-YYYYMMDD[.gz]`), a file
 * means itself (whatever its name), a glob its matches and nothing more. Files are deduplicated,
 * `X.jsonl.gz` is left out while `X.jsonl` exists, and the rest are ordered by live file, oldest
 * rotated file first (see rotated-names.ts). An input that matches nothing is listed as missing.
 */
export function resolveInputs(inputs: readonly string[]): ResolvedInputs {
  const files = new Set<string>();
  const missing: string[] = [];
  for (const input of inputs) {
    if (isGlob(input) && !existsSync(input)) {
      const matches = expandGlob(input).filter((path) => !isDirectory(path));
      if (matches.length === 0) missing.push(input);
      for (const path of matches) files.add(normalize(path));
      continue;
    }
    const stat = lstatSync(input, { throwIfNoEntry: false });
    if (stat === undefined) {
      missing.push(input);
    } else if (isDirectory(input)) {
      for (const path of directoryFiles(input)) files.add(normalize(path));
    } else {
      // Given by name: read it even if it is odd (a FIFO, a broken link); reading reports why not.
      files.add(normalize(input));
    }
  }
  return { files: dropPendingCompressions(sortInputPaths([...files])), missing };
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
