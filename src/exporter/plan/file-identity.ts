import { createHash } from "node:crypto";
import { fstatSync, readSync, statSync } from "node:fs";
import { readOpenFile } from "./read-open-file.js";

/** How many leading bytes identify a file's content. */
export const HEAD_BYTES = 4096;

/** Who a file is: device and inode, size and mtime, and a hash of its first bytes. */
export interface FileIdentity {
  readonly dev: string;
  readonly ino: string;
  readonly size: number;
  readonly mtime_ms: number;
  /** How many leading bytes were hashed: the file's size when it was smaller than 4 KiB. */
  readonly head_bytes: number;
  readonly head_sha256: string;
}

/**
 * Identifies the file at `path`, hashing its first `headBytes` bytes (default: up to 4 KiB), or
 * returns undefined when it cannot be opened.
 */
export function identifyFile(path: string, headBytes?: number): FileIdentity | undefined {
  return readOpenFile(path, (fd) => identifyOpenFile(fd, headBytes));
}

/** {@link identifyFile} of the file open as `fd`. */
export function identifyOpenFile(fd: number, headBytes?: number): FileIdentity {
  const stat = fstatSync(fd, { bigint: true });
  const size = Number(stat.size);
  const want = Math.min(headBytes ?? HEAD_BYTES, size);
  const head = Buffer.alloc(want);
  let got = 0;
  while (got < want) {
    const n = readSync(fd, head, got, want - got, got);
    if (n === 0) break;
    got += n;
  }
  return {
    dev: stat.dev.toString(),
    ino: stat.ino.toString(),
    size,
    mtime_ms: Number(stat.mtimeMs),
    head_bytes: got,
    head_sha256: createHash("sha256").update(head.subarray(0, got)).digest("hex"),
  };
}

/** Whether `path` holds now the file of this device and inode (a name rotation gives to others). */
export function holdsFile(
  path: string,
  file: { readonly dev: string; readonly ino: string },
): boolean {
  const now = statSync(path, { bigint: true, throwIfNoEntry: false });
  return now !== undefined && `${now.dev}` === file.dev && `${now.ino}` === file.ino;
}
