import { closeSync, fstatSync, lstatSync, openSync, readSync, statSync } from "node:fs";
import type { FileIdentity } from "./file-identity.js";
import { finalFragment } from "./final-fragment.js";
import {
  followListed,
  identityAsListed,
  LISTED_ELSEWHERE,
  type ListedFile,
  relisted,
  VANISHED,
} from "./follow-listed.js";

/** A byte range of one input file that starts and ends at line boundaries. */
export interface Segment {
  readonly index: number;
  readonly fileIndex: number;
  readonly path: string;
  readonly start: number;
  /** Exclusive end offset; for gzip, the whole file is one segment. */
  readonly end: number;
  readonly gzip: boolean;
  /** For gzip: decompressed bytes to pass over (read by an earlier run, before compression). */
  readonly skip?: number;
  /** Why the file cannot be read, found while planning. */
  readonly unreadable?: string;
  /**
   * Set when a file found by listing a directory or a glob was deleted since (by retention): not
   * an error, a `vanished_file` warning with this message.
   */
  readonly vanished?: string;
  /**
   * For gzip: decompressed bytes to read after `skip`, at most (a plain file planned in segments
   * and compressed before they were read: each reads its own range of the .gz).
   */
  readonly limit?: number;
}

/** A file's size, or why it cannot be read as a regular file. */
export function inspectFile(
  path: string,
): { ok: true; bytes: number; mtimeMs: number } | { ok: false; message: string } {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) return { ok: false, message: "is a directory" };
    if (!stat.isFile()) return { ok: false, message: "is not a regular file" };
    return { ok: true, bytes: stat.size, mtimeMs: stat.mtimeMs };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      message: code === "ENOENT" ? "is a broken link or vanished" : `cannot be read (${code})`,
    };
  }
}

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
  const buffer = Buffer.allocUnsafe(64 * 1024);
  let end = size;
  while (end > from) {
    const start = Math.max(from, end - buffer.length);
    const read = readSync(fd, buffer, 0, end - start, start);
    const newline = buffer.subarray(0, read).lastIndexOf(10);
    if (newline !== -1) return start + newline + 1;
    end = start;
  }
  return from;
}

/** A file planned for reading: its size (0 when unreadable) and its segments. */
export interface PlannedFile {
  readonly path: string;
  readonly bytes: number;
  readonly unreadable?: string;
  /** With a resume plan: where reading started, and the end of its last complete line. */
  readonly start?: number;
  readonly committedEnd?: number;
  /** When it was last modified, as planned. */
  readonly mtimeMs?: number;
  /**
   * Where its final fragment (bytes after the last "\n") starts, when it has one: that fragment
   * is a segment of its own, which the engine leaves pending if the file is still being written.
   */
  readonly fragmentFrom?: number;
  /**
   * Who it was when an incremental run identified it: a file whose reading ends with another
   * file there, or other first bytes, or fewer bytes than planned, changed while it was read.
   */
  readonly identity?: FileIdentity;
  /**
   * Who it was when a run that keeps no state listed it (and, once followed, where it is now):
   * the engine opens it by that, renamed or compressed since it was planned.
   */
  readonly listed?: ListedFile;
  /** Set when a file found by listing was deleted before it was planned: its warning. */
  readonly vanished?: string;
}

/**
 * For incremental runs: where to start reading each file. Every plain file's bytes after its last
 * "\n" (a line still being written) become a segment of their own, so callers can tell them apart.
 */
export interface ResumePlan {
  /** Byte offset to start at, per path; absent means 0. An offset at the file's size reads nothing. */
  readonly starts: ReadonlyMap<string, number>;
  /** Size to read up to, per path (the size seen when the run began); absent means the current size. */
  readonly ends?: ReadonlyMap<string, number>;
  /** Per .gz path: decompressed bytes to pass over (read before the file was compressed). */
  readonly skips?: ReadonlyMap<string, number>;
  /**
   * Who each file was when the run identified it: a plain file renamed since (the live file
   * rotated) is planned where it is now, never the new file under its old name.
   */
  readonly identities?: ReadonlyMap<string, FileIdentity>;
}

/**
 * Cuts files into segments of about `segmentBytes`, each starting at a line boundary, so
 * several threads can read one large file. Gzip files are read whole.
 */
export function planSegments(
  paths: readonly string[],
  segmentBytes: number,
  resume?: ResumePlan,
  maxLineBytes = Number.POSITIVE_INFINITY,
  listed?: ReadonlyMap<string, ListedFile>,
): { files: PlannedFile[]; segments: Segment[] } {
  const files: PlannedFile[] = [];
  const segments: Segment[] = [];
  const taken = new Set(paths);
  for (const [fileIndex, listedPath] of paths.entries()) {
    const identity = resume === undefined ? listed?.get(listedPath) : undefined;
    if (identity !== undefined) {
      planListed(
        fileIndex,
        listedPath,
        identity,
        taken,
        segmentBytes,
        maxLineBytes,
        files,
        segments,
      );
      continue;
    }
    const path = listedPath;
    const info = inspectFile(path);
    const base = { fileIndex, path, gzip: path.endsWith(".gz") };
    // An incremental run's file found by listing and deleted (or compressed) before it was
    // planned: one its state read is followed by the state, and lost nothing unread with it; a
    // new one is a `vanished_file` warning.
    const gone = !info.ok && listed?.get(path)?.found === true && isGone(path);
    const mark = gone ? resume?.starts.get(path) : undefined;
    if (mark !== undefined) {
      // As its state read it: nothing new planned, no segment, its mark kept.
      files.push({ path, bytes: mark, start: mark, committedEnd: mark });
      continue;
    }
    if (gone) {
      files.push({ path, bytes: 0, vanished: VANISHED });
      segments.push({ ...base, index: segments.length, start: 0, end: 0, vanished: VANISHED });
      continue;
    }
    const identified = resume?.identities?.get(path);
    const followed =
      resume === undefined || base.gzip || identified === undefined
        ? undefined
        : followListed(path, identityAsListed(path, identified), new Set());
    if (resume !== undefined && typeof followed === "object" && !followed.compressed) {
      try {
        const stat = fstatSync(followed.fd);
        const size = Math.min(stat.size, resume.ends?.get(path) ?? stat.size);
        const from = resume.starts.get(path) ?? 0;
        planResumed(path, size, from, segmentBytes, base, files, segments, followed.fd);
        withFragment(files, stat.mtimeMs, false);
      } finally {
        closeSync(followed.fd);
      }
      continue;
    }
    if (resume !== undefined && typeof followed === "object") {
      // Compressed since it was identified (renamed, then compressed): what was not read yet,
      // up to its size then, as one segment the engine reads from the .gz (a .gz has no offsets
      // to cut at). A rotated file is complete: its lines end where it did.
      closeSync(followed.fd);
      const size = resume.ends?.get(path) ?? (identified as FileIdentity).size;
      const start = Math.min(resume.starts.get(path) ?? 0, size);
      files.push({ path, bytes: size, start, committedEnd: size });
      if (start < size) segments.push({ ...base, index: segments.length, start, end: size });
      continue;
    }
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
    if (resume !== undefined) {
      planResumed(
        path,
        Math.min(info.bytes, resume.ends?.get(path) ?? info.bytes),
        resume.starts.get(path) ?? 0,
        segmentBytes,
        {
          ...base,
          ...(base.gzip && resume.skips?.has(path)
            ? { skip: resume.skips.get(path) as number }
            : {}),
        },
        files,
        segments,
      );
      withFragment(files, info.mtimeMs, base.gzip);
      continue;
    }
    if (base.gzip) {
      files.push({ path, bytes: info.bytes, mtimeMs: info.mtimeMs });
      segments.push({ ...base, index: segments.length, start: 0, end: info.bytes });
      continue;
    }
    const fd = openSync(path, "r");
    try {
      planPlain(
        fd,
        { bytes: info.bytes, mtimeMs: info.mtimeMs },
        base,
        segmentBytes,
        maxLineBytes,
        files,
        segments,
      );
    } finally {
      closeSync(fd);
    }
  }
  return { files, segments };
}

// A plain file open as `fd`: its lines cut into segments, its final fragment in one of its own.
function planPlain(
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

// A file a run that keeps no state listed: planned where it is now (renamed or compressed since
// it was listed), through the descriptor it was found by. Gone, it is `vanished` when it was
// found by listing, else unreadable as before.
function planListed(
  fileIndex: number,
  listedPath: string,
  identity: ListedFile,
  taken: ReadonlySet<string>,
  segmentBytes: number,
  maxLineBytes: number,
  files: PlannedFile[],
  segments: Segment[],
): void {
  const here = inspectFile(listedPath);
  // A directory or a FIFO in the listing is unreadable, and never opened (a FIFO would block).
  const vanishedHere = !here.ok && here.message === "is a broken link or vanished";
  // Empty when listed, or read under another listed name: nothing to read under this one,
  // whatever is written to it (or on its inode) since.
  const followed =
    identity.head?.bytes === 0
      ? LISTED_ELSEWHERE
      : here.ok || vanishedHere
        ? followListed(listedPath, identity, taken)
        : undefined;
  if (followed === LISTED_ELSEWHERE) {
    files.push({ path: listedPath, bytes: 0 });
    const base = { fileIndex, path: listedPath, gzip: false };
    segments.push({ ...base, index: segments.length, start: 0, end: 0 });
    return;
  }
  if (followed === undefined) {
    const base = { fileIndex, path: listedPath, gzip: listedPath.endsWith(".gz") };
    if (here.ok || vanishedHere) {
      if (identity.found) {
        files.push({ path: listedPath, bytes: 0, vanished: VANISHED });
        segments.push({ ...base, index: segments.length, start: 0, end: 0, vanished: VANISHED });
        return;
      }
    }
    const message = here.ok ? "is a broken link or vanished" : here.message;
    files.push({ path: listedPath, bytes: 0, unreadable: message });
    segments.push({ ...base, index: segments.length, start: 0, end: 0, unreadable: message });
    return;
  }
  const { path, fd } = followed;
  try {
    const stat = fstatSync(fd);
    const listed = relisted(fd, path, identity);
    const base = { fileIndex, path, gzip: path.endsWith(".gz") };
    if (base.gzip) {
      files.push({ path, bytes: stat.size, mtimeMs: stat.mtimeMs, listed });
      segments.push({ ...base, index: segments.length, start: 0, end: stat.size });
      return;
    }
    const info = { bytes: stat.size, mtimeMs: stat.mtimeMs };
    planPlain(fd, info, base, segmentBytes, maxLineBytes, files, segments, listed);
  } finally {
    closeSync(fd);
  }
}

type SegmentBase = Pick<Segment, "fileIndex" | "path" | "gzip" | "skip">;

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
function withFragment(files: PlannedFile[], mtimeMs: number, gzip: boolean): void {
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

function planResumed(
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

function isGone(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false }) === undefined;
}
