import { readSync, statSync } from "node:fs";
import { gzipHead } from "./gzip-fingerprint.js";
import { readOpenFile } from "./read-open-file.js";

/** Bytes compared: far more than one line's worth, so two files' first events tell them apart. */
const HEAD_BYTES = 4096;

/**
 * True when `gz` is a compression of `plain` still being written (`gzip X.jsonl` writes
 * `X.jsonl.gz`, then unlinks `X.jsonl`): what it decompresses to so far is where `plain` starts.
 * False when they are two files: `X.jsonl` compressed whole, then the name written again by a
 * producer that reopens its file (the Tracker does), so the `.gz` holds older events that are in
 * no other file (a symbolic link is looked through). When it cannot tell (either is no regular
 * file, or cannot be read), it is taken for a pending compression, the `.gz` left to the next
 * run, as before.
 */
export function isPendingCompression(gz: string, plain: string): boolean {
  try {
    if (!statSync(plain).isFile() || !statSync(gz).isFile()) return true;
  } catch {
    return true;
  }
  const compressed = gzipHead(gz, HEAD_BYTES);
  const start = readOpenFile(plain, (fd) => {
    const buffer = Buffer.alloc(HEAD_BYTES);
    return buffer.subarray(0, readSync(fd, buffer, 0, HEAD_BYTES, 0));
  });
  if (compressed === undefined || start === undefined) return true;
  // Nothing decompressed yet: a compression just begun, or an empty file compressed.
  if (compressed.length === 0) return true;
  const n = Math.min(compressed.length, start.length);
  return start.length > 0 && compressed.subarray(0, n).equals(start.subarray(0, n));
}
