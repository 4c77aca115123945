import { existsSync, lstatSync, statSync } from "node:fs";
import { join, normalize, resolve } from "node:path";
import { inodeKey, isListedAt, type ListedFile, listFile } from "./follow-listed.js";
import { expandGlob, isGlob } from "./glob.js";
import { isGone } from "./inspect-file.js";
import { listInputNames } from "./list-input-directory.js";
import { isPendingCompression } from "./pending-compression.js";
import { dropPendingCompressions, isTelemetryFileName, sortInputPaths } from "./rotated-names.js";

/** The files to read, in the order they are read, and the inputs that did not exist. */
export interface ResolvedInputs {
  readonly files: readonly string[];
  readonly missing: readonly string[];
  /**
   * Who each file was when it was listed (absent for one that could not be stat'ed): a run that
   * keeps no state follows it by that, renamed or compressed since (see follow-listed.ts).
   */
  readonly listed?: ReadonlyMap<string, ListedFile>;
}

// Every entry with a telemetry name, even a directory or a FIFO: reading reports why it is
// unreadable, where skipping it would hide it.
function directoryFiles(dir: string): string[] {
  return listInputNames(dir)
    .filter(isTelemetryFileName)
    .map((name) => join(dir, name));
}

// How many times a run lists each directory at most: three times when nothing appeared meanwhile.
const MAX_LISTINGS = 5;

/**
 * Resolves `--input` values: a directory means its JSON Lines files, live, compressed and rotated
 * (`*.jsonl`, `*.jsonl.gz`, logrotate's `*.jsonl.N[.gz]` and `*.jsonl-YYYYMMDD[.gz]`), a file
 * means itself (whatever its name), a glob its matches and nothing more. Files are deduplicated
 * by what they are (device and inode: `in/a.jsonl`, its absolute path and its path through a
 * linked directory are one file, read once, named as first given), `X.jsonl.gz` is left out
 * while `X.jsonl` exists and starts as it does (a compression not yet done), and the rest are
 * ordered by live file, oldest rotated file first (see rotated-names.ts). An input that matches nothing is listed as missing.
 */
export function resolveInputs(inputs: readonly string[]): ResolvedInputs {
  const files = new UniqueFiles();
  const missing: string[] = [];
  const directories: string[] = [];
  for (const input of inputs) {
    if (isGlob(input) && !existsSync(input)) {
      const matches = expandGlob(input).filter((path) => !isDirectory(path));
      if (matches.length === 0) missing.push(input);
      for (const path of matches) files.add(normalize(path), true);
      continue;
    }
    const stat = lstatSync(input, { throwIfNoEntry: false });
    if (stat === undefined) {
      missing.push(input);
    } else if (isDirectory(input)) {
      directories.push(input);
      for (const path of directoryFiles(input)) files.add(normalize(path), true);
    } else {
      // Given by name: read it even if it is odd (a FIFO, a broken link); reading reports why not.
      files.add(normalize(input), false);
    }
  }
  // Listing a directory and identifying its files is not one instant: a file renamed between
  // the two (the live file rotated) was identified under its old name as the file there now, and
  // its events sit under a name the listing did not hold. So each directory is listed once more,
  // once every file is identified, and the names that appeared meanwhile are read too (a file
  // is still read once: the same device and inode is one file). Nor is a listing a snapshot: a
  // file renamed while readdir runs (a segment's .gz put in place) may be under neither name in
  // it: a segment created after the first listing and compressed during the second was in
  // neither, while the segments after it were read. So the directories are listed a third time,
  // and again while a listing finds new files, a bounded number of times: a name passed over
  // once is there, settled, the next time.
  const seen = new Set(files);
  for (let listing = 2; listing <= MAX_LISTINGS; listing++) {
    let found = false;
    for (const dir of directories) {
      for (const path of directoryFiles(dir).map((p) => normalize(p))) {
        if (seen.has(path) || (path.endsWith(".gz") && seen.has(path.slice(0, -3)))) continue;
        seen.add(path);
        if (files.add(path, true)) found = true;
      }
    }
    if (!found && listing >= 3) break;
  }
  const paths = dropPendingCompressions(sortInputPaths([...files]), isPendingCompression);
  const kept = new Map<string, ListedFile>();
  for (const path of paths) {
    const file = files.identity(path);
    if (file !== undefined) kept.set(path, file);
  }
  return { files: paths, missing, listed: kept };
}

// The first spelling of each file, keyed by its device and inode (and its birth time) as it is
// identified when it is listed (by its absolute path when it cannot be stat'ed: a broken link is
// still named once), with that identity: found by listing a directory or a glob, or named (by
// any of its spellings).
class UniqueFiles {
  /** First spellings, in the order found. */
  private readonly firsts: string[] = [];
  // The first spellings of the files each device and inode (and birth time) held: more than
  // one when the inode was freed and given to another file while the run listed.
  private readonly byInode = new Map<string, string[]>();
  private readonly identities = new Map<string, ListedFile>();

  /**
   * Adds a spelling of a file; true when the file is new. A name found by listing that is gone
   * before it is identified is left out: whatever it held is under another name by then
   * (compressed: its .gz, added now; renamed: found by the next listing), or deleted.
   */
  add(path: string, found: boolean): boolean {
    let file = listFile(path, found);
    // Gone at the stat but there again at the check: the live file rotated away and the next one
    // created in between. Identified as the file there now, else it was planned by its name
    // alone, and an error if rotated away again before it was planned (the next one not yet
    // made). A broken link stays unidentified: there, never gone.
    for (let tries = 0; file === undefined && found; tries++) {
      if (isGone(path)) return this.addCompressed(path) ?? false;
      if (tries === 3) break;
      file = listFile(path, found);
    }
    // Known by its inode alone, for it was gone by the time it was opened: compressed meanwhile,
    // it is read from its .gz; else followed by its inode (renamed) or found deleted when planned.
    if (found && file?.head === undefined && file?.mtimeMs === undefined && isGone(path)) {
      const added = this.addCompressed(path);
      if (added !== undefined) return added;
    }
    // With the inode's birth time where known: an inode freed during the listings (a segment
    // compressed, then unlinked) is given to the next file created, which is another file.
    const key = file === undefined ? `path:${resolve(path)}` : inodeKey(file);
    const spellings = this.byInode.get(key) ?? [];
    const first = spellings.find((earlier) => this.isSame(path, file, earlier));
    if (first === undefined) {
      spellings.push(path);
      this.byInode.set(key, spellings);
      this.firsts.push(path);
      if (file !== undefined) this.identities.set(path, file);
      return true;
    }
    const known = this.identities.get(first);
    if (!found && known?.found === true) this.identities.set(first, { ...known, found: false });
    return false;
  }

  // A plain file gone before it was identified: compressed meanwhile (`X.gz` is put in place
  // before `X` is unlinked), its events are in its .gz, added now (whether it is new; undefined
  // when there is no .gz). Left to a later listing, the .gz was passed over as the compression
  // of a name already seen, or not listed again at all, while the segments after it were read:
  // a run that missed one segment's events in the middle.
  private addCompressed(path: string): boolean | undefined {
    const gz = `${path}.gz`;
    if (path.endsWith(".gz") || !existsSync(gz)) return undefined;
    return this.add(gz, true);
  }

  // Whether `path`, on the inode `earlier` was found on, is that file: renamed, or (where the
  // file system records no birth time) another file given the freed inode, which its first
  // bytes (a .gz: its size and time) tell apart. One unread when listed has only its inode.
  private isSame(path: string, file: ListedFile | undefined, earlier: string): boolean {
    const before = this.identities.get(earlier);
    if (before?.head === undefined && before?.mtimeMs === undefined) return true;
    // Empty then, the earlier spelling reads nothing (plan-listed.ts). Written to since (a live
    // file rotated to this name), this one reads what it holds, or a run that reads the segments
    // rotated after it would miss its events (plan-listed.ts reads a file once).
    if (before.head?.bytes === 0 && (file?.head?.bytes ?? 0) > 0) return false;
    return isListedAt(path, before);
  }

  identity(path: string): ListedFile | undefined {
    return this.identities.get(path);
  }

  [Symbol.iterator](): IterableIterator<string> {
    return this.firsts.values();
  }
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
