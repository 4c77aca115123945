import { existsSync, lstatSync, readdirSync, statSync } from "node:fs";
import { join, normalize, resolve } from "node:path";
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
 * means itself (whatever its name), a glob its matches and nothing more. Files are deduplicated
 * by what they are (device and inode: `in/a.jsonl`, its absolute path and its path through a
 * linked directory are one file, read once, named as first given), `X.jsonl.gz` is left out
 * while `X.jsonl` exists, and the rest are ordered by live file, oldest rotated file first (see
 * rotated-names.ts). An input that matches nothing is listed as missing.
 */
export function resolveInputs(inputs: readonly string[]): ResolvedInputs {
  const files = new UniqueFiles();
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

// The first spelling of each file, keyed by its device and inode (by its absolute path when it
// cannot be stat'ed: a broken link is still named once).
class UniqueFiles {
  private readonly seen = new Map<string, string>();

  add(path: string): void {
    const key = identityKey(path) ?? `path:${resolve(path)}`;
    if (!this.seen.has(key)) this.seen.set(key, path);
  }

  [Symbol.iterator](): IterableIterator<string> {
    return this.seen.values();
  }
}

function identityKey(path: string): string | undefined {
  try {
    const stat = statSync(path, { throwIfNoEntry: false, bigint: true });
    return stat === undefined ? undefined : `${stat.dev}:${stat.ino}`;
  } catch {
    return undefined; // a link loop or no permission: reading reports it
  }
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
