import { createHash } from "node:crypto";
import { readSync } from "node:fs";
import { HEAD_BYTES } from "./file-identity.js";
import { readOpenFile } from "./read-open-file.js";

const NEWLINE = 0x0a;

/** The first `min(size, 4 KiB)` bytes of the file at `path`, or undefined if it cannot be read. */
export function plainHead(path: string, size: number): Buffer | undefined {
  return readOpenFile(path, (fd) => {
    const buffer = Buffer.alloc(Math.min(size, HEAD_BYTES));
    let got = 0;
    while (got < buffer.length) {
      const n = readSync(fd, buffer, got, buffer.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return buffer.subarray(0, got);
  });
}

/**
 * The SHA-256 of each of `head`'s first whole lines whose length (of the prefix it ends) is in
 * `wanted`, by that length, shortest first. One pass of the hash, however many are wanted.
 */
export function linePrefixHashes(head: Buffer, wanted: ReadonlySet<number>): Map<number, string> {
  const found = new Map<number, string>();
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
