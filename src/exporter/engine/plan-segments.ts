import { closeSync, openSync, readSync, statSync } from "node:fs";
import type { Segment } from "./segment.js";

/** A file's size, or why it cannot be read as a regular file. */
export function inspectFile(
  path: string,
): { ok: true; bytes: number } | { ok: false; message: string } {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) return { ok: false, message: "is a directory" };
    if (!stat.isFile()) return { ok: false, message: "is not a regular file" };
    return { ok: true, bytes: stat.size };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      message: code === "ENOENT" ? "is a broken link or vanished" : `cannot be read (${code})`,
    };
  }
}

// The offset just after the first "\n" at or after `from`, or the file's end.
function nextLineStart(fd: number, from: number, size: number): number {
  const buffer = Buffer.allocUnsafe(64 * 1024);
  let position = from;
  while (position < size) {
    const read = readSync(fd, buffer, 0, buffer.length, position);
    if (read === 0) break;
    const newline = buffer.subarray(0, read).indexOf(10);
    if (newline !== -1) return position + newline + 1;
    position += read;
  }
  return size;
}

/** A file planned for reading: its size (0 when unreadable) and its segments. */
export interface PlannedFile {
  readonly path: string;
  readonly bytes: number;
  readonly unreadable?: string;
}

/**
 * Cuts files into segments of about `segmentBytes`, each starting at a line boundary, so
 * several threads can read one large file. Gzip files are read whole.
 */
export function planSegments(
  paths: readonly string[],
  segmentBytes: number,
): { files: PlannedFile[]; segments: Segment[] } {
  const files: PlannedFile[] = [];
  const segments: Segment[] = [];
  for (const [fileIndex, path] of paths.entries()) {
    const info = inspectFile(path);
    const base = { fileIndex, path, gzip: path.endsWith(".gz") };
    if (!info.ok) {
      files.push({ path, bytes: 0, unreadable: info.message });
      segments.push({
        ...base,
        index: segments.length,
        start: 0,
        end: 0,
        unreadable: info.message,
      });
      continue;
    }
    files.push({ path, bytes: info.bytes });
    if (base.gzip || info.bytes <= segmentBytes) {
      segments.push({ ...base, index: segments.length, start: 0, end: info.bytes });
      continue;
    }
    const fd = openSync(path, "r");
    try {
      let start = 0;
      while (start < info.bytes) {
        const end =
          start + segmentBytes >= info.bytes
            ? info.bytes
            : nextLineStart(fd, start + segmentBytes, info.bytes);
        segments.push({ ...base, index: segments.length, start, end });
        start = end;
      }
    } finally {
      closeSync(fd);
    }
  }
  return { files, segments };
}
