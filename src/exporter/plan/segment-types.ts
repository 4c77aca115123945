import type { FileIdentity } from "./file-identity.js";
import type { ListedFile } from "./follow-listed.js";

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
   * Set on an identified file found by listing a directory or a glob (not named): deleted once
   * planned, before it is opened (by retention), it is a `vanished_file` warning, not an error.
   */
  readonly found?: boolean;
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
  /**
   * Files with a mark that could not be opened to be identified: not read (an error), so that
   * the state of the run before stays and the next run reads them from their marks.
   */
  readonly unidentified?: ReadonlySet<string>;
  /**
   * Files listed and gone when the run identified them: planned as gone, even when a file is
   * there again by now (see identifyInputs).
   */
  readonly gone?: ReadonlySet<string>;
}

/** What every segment of one file shares. */
export type SegmentBase = Pick<Segment, "fileIndex" | "path" | "gzip" | "skip">;
