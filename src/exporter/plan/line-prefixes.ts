import { createHash } from "node:crypto";
import { readSync } from "node:fs";
import { HEAD_BYTES } from "./file-identity.js";
import { readOpenFile } from "./read-open-file.js";

const NEWLINE = 0x0a;

/**
 * The SHA-256 of each of the file's first whole lines that ends within its first 4 KiB, keyed by
 * the length of the prefix it ends: `[length, sha256]` for each length in `wanted` (lengths no
 * line ends at are left out). One read and one pass of the hash, however many lengths are wanted.
 */
export function linePrefixHashes(
  path: string,
  size: number,
  wanted: ReadonlySet<number>,
): Map<number, string> {
  const found = new Map<number, string>();
  const head = readOpenFile(path, (fd) => {
    const buffer = Buffer.alloc(Math.min(size, HEAD_BYTES));
    let got = 0;
    while (got < buffer.length) {
      const n = readSync(fd, buffer, got, buffer.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return buffer.subarray(0, got);
  });
  if (head === undefined) return found;
  const hash = createHash("sha256");
  let hashed = 0;
  for (let at = head.indexOf(NEWLINE); at !== -1; at = head.indexOf(NEWLINE, at + 1)) {
    const length = at + 1;
    if (!wanted.has(length)) continue;
    hash.update(head.subarray(hashed, length));
    hashed = length;
    found.set(length, hash.copy().digest("hex"));
  }
  return found;
}
