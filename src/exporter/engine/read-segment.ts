import { closeSync, createReadStream, openSync, readSync } from "node:fs";
import { createGunzip } from "node:zlib";
import type { Segment } from "../plan/plan-segments.js";
import { CHUNK_BYTES, inCheckMemory, returnChunk, takeChunk } from "./reader-memory.js";

/**
 * How reading a segment ended: cleanly, or with the file's own error (not a consumer's), and
 * how many of the file's bytes were really read (for gzip: the compressed size, once read whole).
 */
export type ReadEnd =
  | { readonly ok: true; readonly bytes: number }
  | {
      readonly ok: false;
      readonly bytes: number;
      readonly code: "unreadable_file" | "invalid_gzip";
      readonly message: string;
    };

// A plain file that ends before the segment's planned end was cut short while it was read
// (truncated, or rewritten in place): what follows was never read and must not be claimed.
class ShortRead extends Error {}

/**
 * Reads a segment's bytes in chunks into `onChunk` (which must not keep the buffer), through
 * `fd` when given (a descriptor of its file, left open), else by its path. Errors thrown by
 * `onChunk` propagate; errors of the file itself are returned.
 */
export async function readSegment(
  segment: Segment,
  onChunk: (chunk: Buffer) => Promise<void> | void,
  fd?: number,
): Promise<ReadEnd> {
  let consumerError: unknown;
  const deliver = async (chunk: Buffer) => {
    try {
      await onChunk(chunk);
    } catch (error) {
      consumerError = error;
      throw error;
    }
  };
  let bytes = 0;
  const counted = (chunk: Buffer) => {
    bytes += chunk.length;
    return deliver(chunk);
  };
  try {
    if (segment.gzip) await readGzip(segment, deliver, fd);
    else await readRange(segment, counted, fd);
    return { ok: true, bytes: segment.gzip ? segment.end - segment.start : bytes };
  } catch (error) {
    if (error === consumerError) throw error;
    if (error instanceof ShortRead) {
      return { ok: false, bytes, code: "unreadable_file", message: error.message };
    }
    const err = error as NodeJS.ErrnoException;
    const isGzip = segment.gzip && (err.code?.startsWith("Z_") ?? false);
    return isGzip
      ? {
          ok: false,
          bytes,
          code: "invalid_gzip",
          message: `gzip data is corrupt or truncated (${err.message})`,
        }
      : {
          ok: false,
          bytes,
          code: "unreadable_file",
          message: `read failed (${err.code ?? err.message})`,
        };
  }
}

// Synchronous reads: the page cache answers in microseconds, and awaiting each chunk (of 64 KiB
// then) left the thread idle a tenth of the time.
async function readRange(
  segment: Segment,
  deliver: (chunk: Buffer) => Promise<void>,
  shared: number | undefined,
): Promise<void> {
  // Nothing to read (a file empty when listed): its path is not opened, whatever is there now.
  if (segment.start >= segment.end) return;
  const fd = shared ?? openSync(segment.path, "r");
  // Read where the WebAssembly checks can read it too.
  const buffer = takeChunk();
  try {
    let position = segment.start;
    while (position < segment.end) {
      const bytesRead = readSync(
        fd,
        buffer,
        0,
        Math.min(CHUNK_BYTES, segment.end - position),
        position,
      );
      if (bytesRead === 0) {
        throw new ShortRead(
          `shrank while it was read: it ended at byte ${position}, ${segment.end} bytes were planned`,
        );
      }
      position += bytesRead;
      await deliver(buffer.subarray(0, bytesRead));
    }
  } finally {
    returnChunk(buffer);
    if (shared === undefined) closeSync(fd);
  }
}

// Streamed: a .gz file is never held in memory whole. `skip`: decompressed bytes read before (a
// plain file that was compressed after a run read that much of it); `limit`: at most that many
// bytes after them. Through `fd` when given (left open), else by its path.
async function readGzip(
  segment: Segment,
  deliver: (chunk: Buffer) => Promise<void>,
  fd: number | undefined,
): Promise<void> {
  // A stream closes its descriptor when it is destroyed, whatever `autoClose` says: it is given
  // one of its own, the file opened again through `fd`.
  const own = fd === undefined ? undefined : reopen(fd);
  const file = createReadStream(segment.path, {
    highWaterMark: CHUNK_BYTES,
    ...(own === undefined ? {} : { fd: own, start: 0 }),
  });
  const stream = file.pipe(createGunzip({ chunkSize: CHUNK_BYTES }));
  file.on("error", (error) => stream.destroy(error));
  let left = segment.skip ?? 0;
  let room = segment.limit ?? Number.POSITIVE_INFINITY;
  // zlib hands over buffers of its own: each is copied where the WebAssembly checks can read it
  // (a copy of 256 KiB costs far less than reading its lines in JavaScript).
  const slot = takeChunk();
  const checked = inCheckMemory(slot);
  const hand = (bytes: Buffer) => {
    if (!checked || bytes.length > slot.length) return deliver(bytes);
    bytes.copy(slot, 0);
    return deliver(slot.subarray(0, bytes.length));
  };
  try {
    for await (const chunk of stream) {
      const bytes = chunk as Buffer;
      if (left >= bytes.length) {
        left -= bytes.length;
        continue;
      }
      const rest = left === 0 ? bytes : bytes.subarray(left);
      left = 0;
      if (rest.length >= room) {
        if (room > 0) await hand(rest.subarray(0, room));
        break;
      }
      room -= rest.length;
      await hand(rest);
    }
  } finally {
    returnChunk(slot);
    file.destroy();
    stream.destroy();
  }
}

// The file open as `fd`, opened again (Linux's /proc/self/fd); undefined where that cannot be
// done, and the file is then opened by its path.
function reopen(fd: number): number | undefined {
  try {
    return openSync(`/proc/self/fd/${fd}`, "r");
  } catch {
    return undefined;
  }
}
