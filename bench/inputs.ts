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
 * The complete lines within the last `fraction` of a file's bytes: the growth a scenario adds
 * (the same events again, so every line is valid). From the end, not the start: a new live file
 * holding them must not begin with the bytes of the file rotated away, or, given that file's
 * freed inode, it would be taken for it cut short.
 */
export function trailingLines(path: string, fraction: number): Buffer {
  const size = statSync(path).size;
  const want = Math.max(1, Math.floor(size * fraction));
  const buffer = Buffer.alloc(want);
  const fd = openSync(path, "r");
  try {
    const got = readSync(fd, buffer, 0, want, size - want);
    // Whole lines only: from just after the first line break (the file ends with one).
    return buffer.subarray(buffer.indexOf(10) + 1, got);
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
