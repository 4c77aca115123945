import { createHash } from "node:crypto";
import { createReadStream, fstatSync, readSync } from "node:fs";
import { constants, createGunzip, gunzipSync } from "node:zlib";
import { readOpenFile } from "./read-open-file.js";

// A plain file compressed into a .gz is a new inode under a new name: only its content can say
// it is the file a state read. Its first decompressed bytes are compared with the hash the state
// kept of the plain file's first bytes, and its decompressed length with the plain file's size.

const MAX_HEAD_READ = 1024 * 1024;

/** The SHA-256 of the first `bytes` decompressed bytes of a .gz, or undefined if it has fewer. */
export function gzipHeadSha256(path: string, bytes: number): string | undefined {
  const head = gzipHead(path, bytes);
  if (head === undefined || head.length < bytes) return undefined;
  return createHash("sha256").update(head).digest("hex");
}

/**
 * The first `bytes` decompressed bytes of a .gz: fewer when it holds fewer (or is cut short
 * before them), or when its first MiB does not hold them; undefined if it cannot be read.
 */
export function gzipHead(path: string, bytes: number): Buffer | undefined {
  return readOpenFile(path, (fd) => {
    const size = fstatSync(fd).size;
    // Telemetry compresses well: the first 16 KiB hold far more than 4 KiB of lines. A longer
    // read is needed only for incompressible content.
    let want = Math.min(size, 16 * 1024);
    for (;;) {
      const buffer = Buffer.alloc(want);
      const got = readSync(fd, buffer, 0, want, 0);
      // A sync flush decompresses what a cut-short stream holds without calling it an error.
      const head = gunzipSync(buffer.subarray(0, got), { finishFlush: constants.Z_SYNC_FLUSH });
      // Bounded: a file whose first MiB holds less than `bytes` is not taken for a known one.
      if (head.length >= bytes || want >= size || want >= MAX_HEAD_READ) {
        return head.subarray(0, bytes);
      }
      want = Math.min(size, want * 4);
    }
  });
}

/**
 * The gzip trailer's ISIZE: the decompressed length modulo 2^32 of the last member only. It
 * equals the whole length only for a single member, so it can confirm a length, never refute one.
 */
export function gzipTrailerSize(path: string): number | undefined {
  return readOpenFile(path, (fd) => {
    const size = fstatSync(fd).size;
    if (size < 18) return undefined;
    const trailer = Buffer.alloc(4);
    readSync(fd, trailer, 0, 4, size - 4);
    return trailer.readUInt32LE(0);
  });
}

/** What a .gz decompresses to, streamed (every member). */
export interface GzipLength {
  /** Decompressed bytes before the end, or before the first error. */
  readonly length: number;
  /** False when the stream is cut short or corrupt after `length` bytes (or cannot be read). */
  readonly whole: boolean;
}

/** The decompressed length of a .gz, and whether it decompresses to its end without an error. */
export async function gzipLength(path: string): Promise<GzipLength> {
  const file = createReadStream(path);
  const stream = file.pipe(createGunzip());
  file.on("error", (error) => stream.destroy(error));
  let length = 0;
  try {
    for await (const chunk of stream) length += (chunk as Buffer).length;
    return { length, whole: true };
  } catch {
    return { length, whole: false };
  } finally {
    file.destroy();
    stream.destroy();
  }
}
