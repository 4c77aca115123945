/** Who a listed file was when the run listed it. */
export interface ListedFile {
  readonly dev: string;
  readonly ino: string;
  /** Found by listing a directory or a glob; false when the user named it. */
  readonly found: boolean;
  /** For a plain file: its first bytes (up to 4 KiB), which rotation never changes. */
  readonly head?: { readonly bytes: number; readonly sha256: string };
  /** Its size: a plain file only grows; a .gz, written whole and renamed into place, never changes. */
  readonly size?: number;
  /** For a .gz: when it was last modified (it is not, once in place). */
  readonly mtimeMs?: number;
  /**
   * When the inode was made (nanoseconds), where the file system says: a freed inode given to a
   * new file has a new birth time. Without it, an empty file (no first bytes to compare) listed
   * as the live file, rotated and compressed, was taken for the next live file that got its
   * inode: the run read that file's newer events and missed the ones written in between.
   */
  readonly birthNs?: string;
}

/** The run's files: each path, with who it was when listed (undefined: named, not listed). */
export type RunFiles = ReadonlyMap<string, ListedFile | undefined>;
