import { createHash } from "node:crypto";
import {
  type BigIntStats,
  closeSync,
  constants,
  fstatSync,
  openSync,
  readdirSync,
  readSync,
  statSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { type FileIdentity, holdsFile } from "./file-identity.js";
import { gzipHeadSha256 } from "./gzip-fingerprint.js";
import type { ListedFile, RunFiles } from "./listed-file.js";
import { OpenShortage, shortageOf, unlessShort } from "./open-shortage.js";

export type { ListedFile, RunFiles } from "./listed-file.js";

// A run that keeps no state reads its files as they were when it listed them. A Tracker (or
// logrotate) writing the directory meanwhile renames the live file to a segment, compresses
// segments (`X.gz` written, then `X` unlinked) and deletes the oldest: a path listed a moment
// ago may name another file by the time it is planned or opened, or nothing. So each listed file
// is identified when it is listed (device and inode, and for a plain file its first bytes: a
// freed inode is soon given to the next file created, the new live file often) and followed,
// never taken by its name alone.

/** How many leading bytes of a plain file identify it with its compressed copy. */
const HEAD_BYTES = 4096;

function headOf(fd: number, size: number): { bytes: number; sha256: string } {
  const want = Math.min(HEAD_BYTES, size);
  const buffer = Buffer.alloc(want);
  let got = 0;
  while (got < want) {
    const n = readSync(fd, buffer, got, want - got, got);
    if (n === 0) break;
    got += n;
  }
  return { bytes: got, sha256: createHash("sha256").update(buffer.subarray(0, got)).digest("hex") };
}

/**
 * Identifies the file at `path` as it is listed; undefined when it cannot be stat'ed (a broken
 * link, a loop, no permission: reading reports why). A plain regular file is opened for its
 * first bytes; any other file is known by its device and inode alone.
 */
export function listFile(path: string, found: boolean): ListedFile | undefined {
  let stat: BigIntStats | undefined;
  try {
    stat = statSync(path, { bigint: true, throwIfNoEntry: false });
  } catch {
    return undefined;
  }
  if (stat === undefined) return undefined;
  // With its birth time: one known by its inode alone (gone by the time it is opened) must not
  // be taken for the next file given that inode (a stress run read another channel's segment in
  // place of one compressed meanwhile).
  const birth = stat.birthtimeNs > 0n ? { birthNs: stat.birthtimeNs.toString() } : {};
  const known = { dev: stat.dev.toString(), ino: stat.ino.toString(), found, ...birth };
  if (!stat.isFile()) return known;
  let fd: number | undefined;
  try {
    fd = tryOpen(path);
  } catch (error) {
    // Known by device and inode alone: followed the same way when it is opened to be read.
    if (error instanceof OpenShortage) return known;
    throw error;
  }
  if (fd === undefined) return known;
  try {
    // Renamed or replaced between the stat and the open: the file opened is the one listed.
    return identify(fd, path, found);
  } catch {
    return known;
  } finally {
    closeSync(fd);
  }
}

// Who the regular file open as `fd`, named `path`, is.
function identify(fd: number, path: string, found: boolean): ListedFile {
  const stat = fstatSync(fd, { bigint: true });
  const dev = stat.dev.toString();
  const ino = stat.ino.toString();
  const size = Number(stat.size);
  const birth = stat.birthtimeNs > 0n ? { birthNs: stat.birthtimeNs.toString() } : {};
  // An inode freed by retention's unlink is soon given to another file: a .gz is known by its
  // size and time as well, a plain file by its first bytes; both by their birth time if known.
  if (path.endsWith(".gz")) {
    return { dev, ino, found, size, mtimeMs: Number(stat.mtimeMs), ...birth };
  }
  return { dev, ino, found, size, head: headOf(fd, size), ...birth };
}

/**
 * The key of the inode a listed file is on: its device and inode, and its birth time where the
 * file system records one (a freed inode is soon given to the next file made).
 */
export function inodeKey(file: ListedFile): string {
  return `${file.dev}:${file.ino}:${file.birthNs ?? ""}`;
}

/** Where a listed file is now, open for reading. */
export interface Followed {
  readonly path: string;
  readonly fd: number;
  /** True when it is now a .gz: the file listed (plain) compressed since. */
  readonly compressed: boolean;
}

/**
 * Opens `path` without blocking: a FIFO put in a file's place must not stall the run until a
 * writer comes. Undefined when it cannot be opened; an OpenShortage when that says nothing of
 * the file.
 */
export function tryOpen(path: string): number | undefined {
  try {
    return openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const shortage = shortageOf(error);
    if (shortage !== undefined) throw shortage;
    return undefined;
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Nothing to release.
  }
}

// Whether the file open as `fd` is the one listed: its device and inode, and its first bytes
// (an inode freed by a compression's unlink is given to the next file created).
function isListed(fd: number, listed: ListedFile): boolean {
  const stat = fstatSync(fd, { bigint: true });
  if (stat.dev.toString() !== listed.dev || stat.ino.toString() !== listed.ino) return false;
  if (listed.birthNs !== undefined && stat.birthtimeNs.toString() !== listed.birthNs) return false;
  const size = Number(stat.size);
  if (listed.mtimeMs !== undefined) {
    return size === listed.size && Number(stat.mtimeMs) === listed.mtimeMs;
  }
  if (size < (listed.size ?? 0)) return false;
  if (listed.head === undefined) return true;
  return headOf(fd, listed.head.bytes).sha256 === listed.head.sha256;
}

/**
 * Whether the file at `path` now is the one `listed` identified (its device and inode, and its
 * first bytes or, for a .gz, its size and time): false for another file given its freed inode.
 * One that cannot be opened (no descriptor left, no permission) is taken for it, by its inode.
 */
export function isListedAt(path: string, listed: ListedFile): boolean {
  const fd = unlessShort(() => tryOpen(path));
  if (fd === undefined) return true;
  try {
    return isListed(fd, listed);
  } catch {
    return true;
  } finally {
    closeQuietly(fd);
  }
}

function openIfListed(path: string, listed: ListedFile): number | undefined {
  const fd = tryOpen(path);
  if (fd === undefined) return undefined;
  try {
    if (isListed(fd, listed)) return fd;
  } catch {
    // Cannot be stat'ed or read: not the file listed.
  }
  closeQuietly(fd);
  return undefined;
}

// The compressed copy of a plain file listed at `path`: open, and holding the file's first bytes.
function openCompressed(path: string, listed: ListedFile): number | undefined {
  if (statSync(path, { throwIfNoEntry: false })?.isFile() !== true) return undefined;
  const head = listed.head;
  if (head !== undefined && head.bytes > 0 && gzipHeadSha256(path, head.bytes) !== head.sha256) {
    return undefined;
  }
  return tryOpen(path);
}

// Whether the run reads `path` as one of its files: listed there, and still the file listed
// (numbered logrotate gives a listed `.2.gz` to the next file: that one was read nowhere).
function readThere(taken: RunFiles, path: string): boolean {
  const listed = taken.get(path);
  return taken.has(path) && (listed === undefined || holdsFile(path, listed));
}

/** A listed file read under another listed name: renamed and compressed while it was listed. */
export const LISTED_ELSEWHERE = "listed elsewhere";

/**
 * Opens the file listed at `path` where it is now: at `path` if it is still there; else renamed
 * within its directory (the same device, inode and first bytes under another name: rotation);
 * else, for a plain file, compressed: `<path>.gz`, or (renamed, then compressed) a `.gz` of the
 * directory that `taken` does not hold (the run's other files) whose first bytes are the file's.
 * Undefined when it is gone: deleted since it was listed. {@link LISTED_ELSEWHERE} when that .gz
 * (or the .gz of the name it was renamed to, compressed but not yet unlinked) is one of the
 * run's files (`taken`): it was renamed and compressed while the run listed its directory, which
 * found it under that name too, and it is read there, once. Throws an {@link OpenShortage} when
 * a file or its directory cannot be opened for want of descriptors.
 */
export function followListed(
  path: string,
  listed: ListedFile,
  taken: RunFiles,
): Followed | typeof LISTED_ELSEWHERE | undefined {
  const here = openIfListed(path, listed);
  if (here !== undefined) return { path, fd: here, compressed: false };
  const dir = dirname(path);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    const shortage = shortageOf(error);
    if (shortage !== undefined) throw shortage;
    return undefined;
  }
  for (const name of names) {
    const candidate = join(dir, name);
    if (candidate === path) continue;
    const stat = statSync(candidate, { bigint: true, throwIfNoEntry: false });
    if (stat?.dev.toString() !== listed.dev || stat.ino.toString() !== listed.ino) continue;
    const fd = openIfListed(candidate, listed);
    if (fd === undefined) continue;
    // Being compressed: its .gz, in place and whole, is one of the run's files, read there.
    if (!readThere(taken, `${candidate}.gz`)) return { path: candidate, fd, compressed: false };
    closeQuietly(fd);
    return LISTED_ELSEWHERE;
  }
  if (path.endsWith(".gz") || listed.head === undefined) return undefined;
  const own = `${path}.gz`;
  if (names.includes(basename(own))) {
    const fd = openCompressed(own, listed);
    if (fd !== undefined) return { path: own, fd, compressed: true };
  }
  // Renamed and compressed: only its first bytes tell which .gz it is. An empty file has none.
  if (listed.head.bytes === 0) return undefined;
  for (const name of names) {
    const candidate = join(dir, name);
    if (!name.endsWith(".gz") || candidate === own) continue;
    const fd = openCompressed(candidate, listed);
    if (fd === undefined) continue;
    if (!readThere(taken, candidate)) return { path: candidate, fd, compressed: true };
    closeQuietly(fd);
    return LISTED_ELSEWHERE;
  }
  return undefined;
}

/**
 * Who the file open as `fd` (at `path`, where `listed` was followed to) is as it is planned: its
 * identity taken again, the first bytes and size it has now, for the engine to find it by.
 */
export function relisted(fd: number, path: string, listed: ListedFile): ListedFile {
  return identify(fd, path, listed.found);
}

/** The message of a `vanished_file` warning. */
export const VANISHED = "deleted after the run listed it; its events are not in this run";

/**
 * An incremental run's identity of the file at `path`, as a listing's: a .gz by its size and
 * time, a plain file by its first bytes and the size it had (it only grows).
 */
export function identityAsListed(path: string, identity: FileIdentity): ListedFile {
  const { dev, ino, size } = identity;
  if (path.endsWith(".gz")) return { dev, ino, found: true, size, mtimeMs: identity.mtime_ms };
  const head = { bytes: identity.head_bytes, sha256: identity.head_sha256 };
  return { dev, ino, found: true, size, head };
}
