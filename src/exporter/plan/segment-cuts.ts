import { closeSync, openSync, readSync } from "node:fs";
import { afterLastNewline, finalFragment } from "./final-fragment.js";
import type { ListedFile } from "./follow-listed.js";
import type { PlannedFile, Segment, SegmentBase } from "./segment-types.js";

// The offset just after the first "\n" at or after `from`, or the file's end. Lines are mostly
// short: the first read is small, and reads grow only for a long line.
function nextLineStart(fd: number, from: number, size: number): number {
  const buffer = Buffer.allocUnsafe(64 * 1024);
  let position = from;
  let want = 4096;
  while (position < size) {
    const read = readSync(fd, buffer, 0, want, position);
    if (read === 0) break;
    const newline = buffer.subarray(0, read).indexOf(10);
    if (newline !== -1) return position + newline + 1;
    position += read;
    want = buffer.length;
  }
  return size;
}

// The offset just after the last "\n" in [from, size), or `from` when there is none.
function lastLineEnd(fd: number, from: number, size: number): number {
  const after = afterLastNewline(fd, from, size);
  return after === -1 ? from : after;
}

// A plain file open as `fd`: its lines cut into segments, its final fragment in one of its own.
export function planPlain(
  fd: number,
  info: { bytes: number; mtimeMs: number },
  base: SegmentBase,
  segmentBytes: number,
  maxLineBytes: number,
  files: PlannedFile[],
  segments: Segment[],
  listed?: ListedFile,
): void {
  const path = base.path;
  const fragmentFrom = finalFragment(fd, 0, info.bytes, maxLineBytes);
  files.push({
    path,
    bytes: info.bytes,
    mtimeMs: info.mtimeMs,
    ...(fragmentFrom === undefined ? {} : { fragmentFrom }),
    ...(listed === undefined ? {} : { listed }),
  });
  const whole = fragmentFrom ?? info.bytes;
  if (whole <= segmentBytes) {
    if (whole > 0 || fragmentFrom === undefined) {
      segments.push({ ...base, index: segments.length, start: 0, end: whole });
    }
  } else {
    cut(fd, 0, whole, segmentBytes, base, segments);
  }
  if (fragmentFrom !== undefined) {
    segments.push({ ...base, index: segments.length, start: fragmentFrom, end: info.bytes });
  }
}

// Cuts [start, end) into line-aligned segments of about `segmentBytes`.
function cut(
  fd: number,
  start: number,
  end: number,
  segmentBytes: number,
  base: SegmentBase,
  segments: Segment[],
): void {
  let at = start;
  while (at < end) {
    const next =
      at + segmentBytes >= end ? end : Math.min(end, nextLineStart(fd, at + segmentBytes, end));
    segments.push({ ...base, index: segments.length, start: at, end: next });
    at = next;
  }
}

// The file just planned, with its modification time and, for a plain file, where its final
// fragment starts.
export function withFragment(files: PlannedFile[], mtimeMs: number, gzip: boolean): void {
  const planned = files[files.length - 1] as PlannedFile;
  const { committedEnd, bytes } = planned;
  files[files.length - 1] = {
    ...planned,
    mtimeMs,
    ...(!gzip && committedEnd !== undefined && committedEnd < bytes
      ? { fragmentFrom: committedEnd }
      : {}),
  };
}

// From where an incremental run resumes `path`: its lines up to the last "\n" cut into
// segments, the bytes after it (a line still being written) in one of their own.
export function planResumed(
  path: string,
  size: number,
  from: number,
  segmentBytes: number,
  base: SegmentBase,
  files: PlannedFile[],
  segments: Segment[],
  open?: number,
): void {
  // Gzip cannot be entered mid-stream: it is read whole, or (unchanged) not at all.
  if (base.gzip) {
    const start = from >= size ? size : 0;
    files.push({ path, bytes: size, start, committedEnd: size });
    if (start < size) segments.push({ ...base, index: segments.length, start: 0, end: size });
    return;
  }
  const start = Math.min(from, size);
  const fd = open ?? openSync(path, "r");
  try {
    const committedEnd = lastLineEnd(fd, start, size);
    files.push({ path, bytes: size, start, committedEnd });
    cut(fd, start, committedEnd, segmentBytes, base, segments);
    if (committedEnd < size) {
      segments.push({ ...base, index: segments.length, start: committedEnd, end: size });
    }
  } finally {
    if (open === undefined) closeSync(fd);
  }
}
