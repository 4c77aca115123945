import type { UnfinishedFile } from "../contracts.js";
import { claimMoved } from "./claim-moved.js";
import { type FileIdentity, identifyFile, identifyOpenFile } from "./file-identity.js";
import { mismatch, readToEnd, startsAsRead } from "./follow-rotation.js";
import { isGone } from "./inspect-file.js";
import { type Followed, numberedShifts, shiftArchived } from "./numbered-shift.js";
import { readOpenFile } from "./read-open-file.js";
import type { ResolvedInputs } from "./resolve-inputs.js";
import { claimRestored } from "./restored-archive.js";
import { claimCompressedRestored } from "./restored-compressed.js";

/** What a state remembers of one input file: who it was, and how far it was read. */
export interface ReadMark {
  readonly path: string;
  readonly identity: FileIdentity;
  /** Bytes read: the end of the file's last complete line. */
  readonly offset: number;
  /** Lines before `offset`. */
  readonly lines: number;
}

/** Who an output file is, as a state records it (no head hash: outputs are rewritten). */
export type OutputIdentity = Omit<FileIdentity, "head_bytes" | "head_sha256">;

/** Where each input file resumes, or why the state cannot be continued. */
export type StateMatch<Mark extends ReadMark = ReadMark> =
  | {
      readonly ok: true;
      readonly saved: ReadonlyMap<string, Mark>;
      readonly identities: ReadonlyMap<string, FileIdentity>;
      /** Per .gz path: decompressed bytes read before it was compressed. */
      readonly skips: ReadonlyMap<string, number>;
      /** Files read and since deleted: their events stay in the outputs. */
      readonly archived: readonly Mark[];
      /** Archived files deleted with an unfinished last line: its bytes were never read. */
      readonly unfinished: readonly UnfinishedFile[];
      /** Archived files whose path holds a new file: rotated and deleted since (see below). */
      readonly overtaken: readonly UnfinishedFile[];
      /** Per numbered group: the rotations since the state was saved (numbered-shift.ts). */
      readonly shifts: ReadonlyMap<string, number>;
      /**
       * Files with a mark, still there but not opened to be identified (a transient EMFILE, a
       * permission changed meanwhile): kept at their marks, and not read by this run.
       */
      readonly unidentified: ReadonlySet<string>;
      /** Files listed and gone when the run identified them (see {@link identifyInputs}). */
      readonly gone: ReadonlySet<string>;
    }
  | { readonly ok: false; readonly reason: string };

/**
 * Identifies every input file now, before any is read, so a later change cannot slip in. The
 * paths found gone then (ENOENT) go into `gone`: the file listed there was deleted, compressed or
 * rotated away, and a file there again later (the live file's next one, made when the writer next
 * writes) came after the run identified its inputs, so the run leaves it to the next (read now,
 * it could not be marked, and the run could save no state past anything it read).
 */
export function identifyInputs(
  files: readonly string[],
  gone?: Set<string>,
): Map<string, FileIdentity> {
  const identities = new Map<string, FileIdentity>();
  for (const path of files) {
    // Gone by the open's own error: a later look may find the next file there already.
    const identity = readOpenFile(
      path,
      (fd) => identifyOpenFile(fd),
      (code) => {
        if (code === "ENOENT") gone?.add(path);
      },
    );
    if (identity !== undefined) identities.set(path, identity);
  }
  return identities;
}

/**
 * Checks what a state remembers against the inputs as they are now, following rotation: a file
 * read before is found at its path or, renamed or compressed, under another name (same device
 * and inode; or a .gz whose decompressed first bytes and length are the file's), and continues
 * from its mark. A file read to its end and now deleted is archived: its events stay in the
 * outputs, under the name logrotate's numbering would give it now (numbered-shift.ts); put
 * back, it continues from its mark (restored-archive.ts; compressed, restored-compressed.ts). A file
 * that shrank (its first bytes kept), that was copied to a new inode, or that vanished before it
 * was read to its end, cannot be continued. New files, including one on a known inode with other
 * first bytes (inodes are reused), are read from their start.
 */
export async function matchFiles<Mark extends ReadMark>(
  marks: readonly Mark[],
  resolved: ResolvedInputs,
  archivedBefore: readonly Mark[] = [],
): Promise<StateMatch<Mark>> {
  const gone = new Set<string>();
  const identities = identifyInputs(resolved.files, gone);
  const saved = new Map<string, Mark>();
  const skips = new Map<string, number>();
  const moved: Mark[] = [];
  const followed: Followed[] = [];
  // A file listed and gone before it was identified (retention, or compressed meanwhile) is gone.
  const present = new Set(resolved.files.filter((p) => identities.has(p)));
  // Listed and still there, but not opened to be identified: taken for gone, such a file was
  // archived and then read again from its start, its events twice in the outputs. (Gone when
  // identified and there again now is the next file: this one went, rotated away or deleted.)
  const listed = new Set(resolved.files);
  const unidentified = new Set<string>();
  for (const mark of marks) {
    const path = mark.path;
    if (!present.has(path) && listed.has(path) && !gone.has(path) && !isGone(path)) {
      saved.set(mark.path, mark);
      followed.push([mark.path, mark.path]);
      unidentified.add(mark.path);
      continue;
    }
    const now = identities.get(mark.path);
    const why = present.has(mark.path) ? mismatch(mark, mark.path, now) : "is gone";
    if (why === undefined) {
      saved.set(mark.path, mark);
      followed.push([mark.path, mark.path]);
    } else if (why === "was replaced" || why === "is gone") moved.push(mark);
    else return { ok: false, reason: `${mark.path} ${why}` };
  }
  const archived = [...archivedBefore];
  const claimed = new Set(saved.keys());
  const found = await claimMoved(moved, resolved.files, claimed, identities, followed);
  // Listed once: with thousands of channels, each rotated and one of each deleted, a list per
  // deleted file took time in the square of the files.
  const unclaimed = resolved.files.filter((p) => !claimed.has(p) && identities.has(p));
  const unfinished: UnfinishedFile[] = [];
  for (const mark of moved) {
    const where = found.get(mark);
    if (where === undefined) {
      if (copiedElsewhere(mark, unclaimed, identities)) {
        return { ok: false, reason: `${mark.path} was replaced` };
      }
      archived.push(mark);
      // A torn last line, its file deleted: the line is lost whatever the run does, and a
      // full run would also drop every archived file's events. Kept with what was read.
      if (!readToEnd(mark)) {
        unfinished.push({ path: mark.path, bytes: mark.identity.size - mark.offset });
      }
      continue;
    }
    if (where.short === true) {
      const reason = `was compressed into ${where.path}, which holds less than was read`;
      return { ok: false, reason: `${mark.path} ${reason}` };
    }
    followed.push([mark.path, where.path]);
    if (where.skip === undefined) {
      saved.set(where.path, { ...mark, path: where.path });
      continue;
    }
    // Compressed: read whole and the first `skip` bytes passed over, or not at all.
    const size = identities.get(where.path)?.size ?? 0;
    saved.set(where.path, { ...mark, path: where.path, offset: where.complete ? size : 0 });
    if (where.complete !== true) skips.set(where.path, where.skip);
  }
  // Read before and deleted, now back: continued from its mark, not read a second time.
  const candidates = unclaimed.filter((p) => !saved.has(p));
  const back = claimRestored(archived.slice(0, archivedBefore.length), candidates, identities);
  for (const [path, mark] of back.restored) saved.set(path, mark);
  const unsaved = candidates.filter((p) => !saved.has(p));
  const packed = await claimCompressedRestored(back.archived, unsaved, identities);
  for (const [path, { mark, skip, complete }] of packed.restored) {
    saved.set(path, { ...mark, path, offset: complete ? (identities.get(path)?.size ?? 0) : 0 });
    if (!complete) skips.set(path, skip);
  }
  archived.splice(0, archivedBefore.length, ...packed.archived);
  const fresh = resolved.files.filter((p) => !saved.has(p));
  const shifts = numberedShifts(followed, fresh);
  // A file deleted while its path holds a file no mark follows (a new live file) was rotated
  // away and deleted between two runs: retention outran the runs, and what was written to it
  // after it was read (and any segment rotated and deleted with it) was never read. Said, since
  // nothing else shows it: the run goes on as for any archived file.
  // Not said when a listed file went before it was identified: that may be this very file,
  // renamed and then compressed meanwhile (the next run finds its .gz and continues it).
  const racing = resolved.files.some((p) => !identities.has(p));
  const overtaken = racing
    ? []
    : moved
        .filter((mark) => !found.has(mark) && present.has(mark.path) && !saved.has(mark.path))
        .map((mark) => ({ path: mark.path, bytes: mark.offset }));
  return {
    ok: true,
    saved,
    identities,
    skips,
    archived: shiftArchived(archived, shifts),
    unfinished,
    overtaken,
    shifts,
    unidentified,
    gone,
  };
}

// Whether a mark whose file is nowhere had its content copied or rewritten elsewhere (then it
// cannot be archived: its lines would be read again as new).
function copiedElsewhere(
  mark: ReadMark,
  unclaimed: readonly string[],
  identities: ReadonlyMap<string, FileIdentity>,
): boolean {
  // The same first bytes in another plain file: the content was copied or rewritten, not
  // rotated (an empty file has no bytes to say so: every file starts with them; a .gz's first
  // bytes are compressed ones, which no plain file has).
  if (mark.identity.head_bytes === 0 || mark.path.endsWith(".gz")) return false;
  return unclaimed.some((p) => {
    const now = identities.get(p);
    return !p.endsWith(".gz") && now !== undefined && startsAsRead(mark, p, now);
  });
}

/** Whether the file at `path` is the output a state recorded (unchanged since). */
export function isOutput(path: string, recorded: OutputIdentity): boolean {
  const now = identifyFile(path, 0);
  return (
    now !== undefined &&
    now.dev === recorded.dev &&
    now.ino === recorded.ino &&
    now.size === recorded.size &&
    now.mtime_ms === recorded.mtime_ms
  );
}

/** {@link matchFiles}, after checking that the events output is the one the state describes. */
export async function matchState<Mark extends ReadMark>(
  state: {
    readonly events_output: { readonly identity: OutputIdentity };
    readonly files: readonly Mark[];
    readonly archived: readonly Mark[];
  },
  resolved: ResolvedInputs,
  eventsPath: string,
): Promise<StateMatch<Mark>> {
  if (!isOutput(eventsPath, state.events_output.identity)) {
    return { ok: false, reason: `${eventsPath} changed since the last run` };
  }
  return matchFiles(state.files, resolved, state.archived);
}
