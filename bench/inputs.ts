// Scratch copies of a data set for the incremental scenarios, which grow and rotate them. Files
// are copied and their growth read without holding a whole file in memory: with `--etl-events`
// the inputs are gigabytes.
import {
  closeSync,
  copyFileSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
  statSync,
} from "node:fs";
import { join } from "node:path";

/** The channel files (`<channel>.jsonl`) of a data set, sorted. */
export function channelFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .sort();
}

/** Replaces `to` with a fresh copy of the channel files of `from`. */
export function freshCopy(from: string, to: string): void {
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  for (const name of channelFiles(from)) copyFileSync(join(from, name), join(to, name));
}

/**
 * The complete lines within the first `fraction` of a file's bytes: the growth a scenario
 * appends (the same events again, so every line is valid).
 */
export function leadingLines(path: string, fraction: number): Buffer {
  const want = Math.max(1, Math.floor(statSync(path).size * fraction));
  const buffer = Buffer.alloc(want);
  const fd = openSync(path, "r");
  try {
    const got = readSync(fd, buffer, 0, want, 0);
    return buffer.subarray(0, buffer.lastIndexOf(10, got - 1) + 1);
  } finally {
    closeSync(fd);
  }
}

/** The number of lines of a buffer of whole lines. */
export function lineCount(lines: Buffer): number {
  let n = 0;
  for (let i = lines.indexOf(10); i !== -1; i = lines.indexOf(10, i + 1)) n++;
  return n;
}
