import { readSync, statSync } from "node:fs";
import { type FileIdentity, identifyFile } from "./file-identity.js";
import { gzipHeadSha256, gzipLength, gzipTrailerSize } from "./gzip-fingerprint.js";
import { readOpenFile } from "./read-open-file.js";

/** What a state remembers of a file (a match-state ReadMark, or any record with these fields). */
interface ReadMark {
  readonly path: string;
  readonly identity: FileIdentity;
  readonly offset: number;
}

// Rotation moves a file a state read: renamed (same device and inode), compressed (a new .gz
// holding the same bytes) or deleted by retention. A state mark follows its file by identity,
// never by name alone, so a new live file under the old name is read from its start, and a
// renamed or compressed one from where the last run stopped.

/** Why a file found at a mark's path (or under another name) is not the file the mark read. */
export function mismatch(
  mark: ReadMark,
  path: string,
  now: FileIdentity | undefined,
): string | undefined {
  if (now === undefined) return "cannot be read";
  if (now.dev !== mark.identity.dev || now.ino !== mark.identity.ino) return "was replaced";
  if (mark.path.endsWith(".gz") || path.endsWith(".gz")) {
    const same = now.size === mark.identity.size && now.mtime_ms === mark.identity.mtime_ms;
    if (same) return undefined;
    // Born after the file read was last modified: the inode was freed and given again, as
    // logrotate's retention deletes `.N.gz` and then compresses `.N` into that very name.
    return bornAfter(path, mark.identity.mtime_ms)
      ? "was replaced"
      : "changed (a .gz file is re-read whole)";
  }
  // The same inode, but rotation frees inodes and the next file created may get one back (a
  // new live file taking the inode of the segment just compressed): the first bytes decide.
  if (!startsAsRead(mark, path, now)) return "was replaced";
  if (now.size < mark.offset) return "shrank";
  return undefined;
}

/**
 * Whether the file at `path` (identified as `now`) starts with the first bytes `mark` read. The
 * first bytes kept of the file are compared without opening it again, when they are as many.
 */
export function startsAsRead(mark: ReadMark, path: string, now: FileIdentity): boolean {
  const { head_bytes: bytes, head_sha256: sha } = mark.identity;
  if (now.size < bytes) return false;
  const head = now.head_bytes === bytes ? now : identifyFile(path, bytes);
  return head?.head_sha256 === sha;
}

/** Whether a mark read its file to the end: then a deleted file loses nothing unread. */
export function readToEnd(mark: ReadMark): boolean {
  return mark.path.endsWith(".gz") || mark.offset === mark.identity.size;
}

/** Where a moved mark's file is now: a path, and for a .gz the decompressed bytes already read. */
export interface Found {
  readonly path: string;
  /** For a plain file now compressed: decompressed bytes read before; undefined if renamed. */
  readonly skip?: number;
  /** For a plain file now compressed: true when it holds nothing unread. */
  readonly complete?: boolean;
  /** For a plain file now compressed: true when the .gz is cut short before what was read. */
  readonly short?: boolean;
}

/** The file a mark read, renamed (same device, inode and first bytes), among `unclaimed`. */
export function findRenamed(
  mark: ReadMark,
  unclaimed: readonly string[],
  identities: ReadonlyMap<string, FileIdentity>,
): string | undefined {
  return unclaimed.find((path) => {
    if (mismatch(mark, path, identities.get(path)) !== undefined) return false;
    // A file empty when read has no first bytes to tell it from the next file created on its
    // freed inode: one born after the file read was last modified is that next file.
    return mark.identity.size > 0 || !bornAfter(path, mark.identity.mtime_ms);
  });
}

/**
 * The copy of the file a mark read that logrotate's `copytruncate` leaves: the file is copied to
 * a rotated name, then cut to nothing in place, where its writer goes on (so the mark's path
 * still holds its inode, with new first bytes). The copy is the file read: a plain file among
 * `unclaimed` with the same first bytes, at least what was read, and a line start there. A file
 * replaced by a copy at its own path is not one (its inode is gone: rewritten, not rotated).
 */
export function findCopied(
  mark: ReadMark,
  unclaimed: readonly string[],
  identities: ReadonlyMap<string, FileIdentity>,
): string | undefined {
  const { head_bytes: bytes, dev, ino } = mark.identity;
  const there = identities.get(mark.path);
  if (bytes === 0 || mark.path.endsWith(".gz") || there?.dev !== dev || there.ino !== ino) {
    return undefined;
  }
  return unclaimed.find((path) => {
    const now = identities.get(path);
    if (path.endsWith(".gz") || now === undefined || now.size < mark.offset) return false;
    return startsAsRead(mark, path, now) && lineStartsAt(path, mark.offset);
  });
}

// Whether a line starts at `offset` of the file at `path`: its start, or just after a "\n".
function lineStartsAt(path: string, offset: number): boolean {
  if (offset === 0) return true;
  const byte = Buffer.alloc(1);
  const read = readOpenFile(path, (fd) => readSync(fd, byte, 0, 1, offset - 1));
  return read === 1 && byte[0] === 0x0a;
}

// Whether the file at `path` was created after `ms` (ms since the epoch, whole), when the file
// system keeps a creation time (where it does not, Node gives 0: no answer, so no).
function bornAfter(path: string, ms: number): boolean {
  const birth = Number(statSync(path, { bigint: true, throwIfNoEntry: false })?.birthtimeMs ?? 0n);
  return birth > 0 && birth > ms;
}

/** The first of `candidates` that is an empty .gz: what an empty file compresses to. */
export async function findEmptyCompressed(
  candidates: readonly string[],
): Promise<Found | undefined> {
  for (const path of candidates) {
    // The trailer first: a .gz of anything but nothing is passed over without decompressing it.
    if (!path.endsWith(".gz") || gzipTrailerSize(path) !== 0) continue;
    const { length, whole } = await gzipLength(path);
    if (whole && length === 0) return { path, skip: 0, complete: true };
  }
  return undefined;
}

/**
 * The first of `candidates` that is the plain file a mark read, compressed: its decompressed
 * first bytes are the file's, and it holds at least what was read. Failing that, one whose first
 * bytes are the file's but that is cut short before what was read, marked `short`: its events
 * were exported already, and reading it as a new file would export them twice.
 */
export async function findCompressed(
  mark: ReadMark,
  candidates: readonly string[],
): Promise<Found | undefined> {
  if (mark.path.endsWith(".gz")) return undefined;
  const { head_bytes: headBytes, head_sha256: headSha256, size } = mark.identity;
  let short: Found | undefined;
  for (const path of candidates) {
    if (!path.endsWith(".gz") || gzipHeadSha256(path, headBytes) !== headSha256) continue;
    // Read to its end and the trailer agrees: the cheap proof, for the usual single member.
    if (mark.offset === size && gzipTrailerSize(path) === size % 2 ** 32) {
      return { path, skip: size, complete: true };
    }
    // Otherwise (more was written after the run, several members, a damaged end): the length
    // decides, once. A .gz damaged past what was read is read on from there, so the error it
    // gives is reported as a full run reports it.
    const { length, whole } = await gzipLength(path);
    if (length >= mark.offset) {
      return { path, skip: mark.offset, complete: whole && length === mark.offset };
    }
    if (!whole) short ??= { path, short: true };
  }
  return short;
}
