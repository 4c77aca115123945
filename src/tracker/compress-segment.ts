import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { open, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { compressTempName } from "./segment-names.js";

/**
 * How a compression ended: done, given up because the segment changed while it ran, or not
 * tried because the segment is empty.
 */
export type CompressOutcome = "compressed" | "changed" | "empty";

/**
 * Gzips the segment `name` to `name.gz` without ever letting a half-written `.gz` replace it:
 * the copy goes to a temporary dot-file, is fsynced, renamed into place, and only then is the
 * source unlinked. A source that grew or was replaced meanwhile (a late writer) keeps its place
 * and the copy is thrown away. zlib and the file streams run on libuv's thread pool, so the
 * thread that records events only moves buffers.
 */
export async function compressSegment(
  directory: string,
  name: string,
  fileMode: number,
): Promise<CompressOutcome> {
  const source = join(directory, name);
  const temp = join(directory, compressTempName(name, randomBytes(6).toString("hex")));
  const before = await stat(source);
  // A rotation claims a segment's name as an empty file, then renames the live file over it
  // (see claim-segment.ts): compressing that claim would unlink the segment put there meanwhile.
  // A segment a rotation made is never empty, so an empty one is a claim (or one whose
  // rotation was killed before its rename): it holds nothing to compress.
  if (before.size === 0) return "empty";
  try {
    const { createGzip } = await import("node:zlib");
    await pipeline(
      createReadStream(source),
      createGzip(),
      createWriteStream(temp, { flags: "wx", mode: fileMode }),
    );
    await syncFile(temp);
    const after = await stat(source);
    if (
      after.ino !== before.ino ||
      after.size !== before.size ||
      after.mtimeMs !== before.mtimeMs
    ) {
      await unlink(temp);
      return "changed";
    }
    await rename(temp, `${source}.gz`);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(directory);
  await unlink(source);
  return "compressed";
}

async function syncFile(path: string): Promise<void> {
  // fsync applies to the file, whichever descriptor asks: the stream closed its own.
  const handle = await open(path, "r+");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

// The rename must be on disk before the source goes, or a power cut could keep neither name.
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, "r");
  try {
    await handle.sync();
  } catch {
    // Some file systems cannot fsync a directory; the rename is still atomic.
  } finally {
    await handle.close();
  }
}
