import type { FileHandle } from "node:fs/promises";

/**
 * Writes all of `bytes` through `handle`, at `position` onwards (null: at the handle's offset).
 * A write that runs out of space part-way reports the bytes it wrote and no error; only the next
 * one fails (ENOSPC). Taking a short count for done left a truncated file that was then committed.
 */
export async function writeFully(
  handle: FileHandle,
  bytes: Uint8Array,
  position: number | null = null,
): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const at = position === null ? null : position + done;
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, at);
    // A regular file never takes nothing without an error; looping on it would never end.
    if (bytesWritten === 0)
      throw Object.assign(new Error("write made no progress"), { code: "EIO" });
    done += bytesWritten;
  }
}
