import { closeSync, fstatSync } from "node:fs";
import { deniedAt } from "./denied-at.js";
import {
  followListed,
  inodeKey,
  LISTED_ELSEWHERE,
  type ListedFile,
  type RunFiles,
  relisted,
  VANISHED,
} from "./follow-listed.js";
import { inspectFile } from "./inspect-file.js";
import { OpenShortage } from "./open-shortage.js";
import { replacedClaim } from "./replaced-claim.js";
import { planPlain } from "./segment-cuts.js";
import type { PlannedFile, Segment } from "./segment-types.js";

/** What the files a run that keeps no state listed are planned against. */
export interface ListedRun {
  /** The paths the run listed. */
  readonly taken: RunFiles;
  /** The files planned so far (see isPlanned, below): each is read once. */
  readonly planned: Set<string>;
}

// A file a run that keeps no state listed: planned where it is now (renamed or compressed since
// it was listed), through the descriptor it was found by. Gone, it is `vanished` when it was
// found by listing, else unreadable as before.
export function planListed(
  fileIndex: number,
  listedPath: string,
  identity: ListedFile,
  run: ListedRun,
  segmentBytes: number,
  maxLineBytes: number,
  files: PlannedFile[],
  segments: Segment[],
): void {
  const here = inspectFile(listedPath);
  // A directory or a FIFO in the listing is unreadable, and never opened (a FIFO would block).
  const vanishedHere = !here.ok && here.message === "is a broken link or vanished";
  // Empty when listed, or read under another listed name: nothing to read under this one,
  // whatever is written to it (or on its inode) since; but a segment's claim, replaced by its
  // segment since, is read (replaced-claim.ts).
  let followed: ReturnType<typeof followListed>;
  try {
    followed =
      identity.head?.bytes === 0
        ? (replacedClaim(listedPath, identity) ?? LISTED_ELSEWHERE)
        : here.ok || vanishedHere
          ? followListed(listedPath, identity, run.taken)
          : undefined;
  } catch (error) {
    // Not to be taken for gone (a warning): unreadable, an error.
    if (!(error instanceof OpenShortage)) throw error;
    const base = { fileIndex, path: listedPath, gzip: listedPath.endsWith(".gz") };
    files.push({ path: listedPath, bytes: 0, unreadable: error.message });
    segments.push({ ...base, index: segments.length, start: 0, end: 0, unreadable: error.message });
    return;
  }
  if (typeof followed === "object") {
    const { path, fd } = followed;
    try {
      const listed = relisted(fd, path, identity);
      // Found where another listed name of this run was followed to: read there, once.
      if (!isPlanned(listed, run)) {
        const stat = fstatSync(fd);
        const base = { fileIndex, path, gzip: path.endsWith(".gz") };
        if (base.gzip) {
          files.push({ path, bytes: stat.size, mtimeMs: stat.mtimeMs, listed });
          segments.push({ ...base, index: segments.length, start: 0, end: stat.size });
          return;
        }
        const info = { bytes: stat.size, mtimeMs: stat.mtimeMs };
        planPlain(fd, info, base, segmentBytes, maxLineBytes, files, segments, listed);
        return;
      }
    } finally {
      closeSync(fd);
    }
    followed = LISTED_ELSEWHERE;
  }
  if (followed === LISTED_ELSEWHERE) {
    files.push({ path: listedPath, bytes: 0 });
    const base = { fileIndex, path: listedPath, gzip: false };
    segments.push({ ...base, index: segments.length, start: 0, end: 0 });
    return;
  }
  if (followed === undefined) {
    const base = { fileIndex, path: listedPath, gzip: listedPath.endsWith(".gz") };
    // Still there, but this user may not open it: unreadable (an error), never taken for gone
    // (a warning that failed nothing, and its events missing from a run that said all was valid).
    const denied = here.ok ? deniedAt(listedPath, identity) : undefined;
    if (denied !== undefined) {
      const message = `cannot be read (${denied})`;
      files.push({ path: listedPath, bytes: 0, unreadable: message });
      segments.push({ ...base, index: segments.length, start: 0, end: 0, unreadable: message });
      return;
    }
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
}

// Whether the file `now` identifies was planned already under another listed name (an empty claim
// listed, and the live file listed before it was renamed over that claim): else it is now. By
// its device and inode, birth time and first bytes or .gz's time (an inode freed since another
// file was planned is given to the next file made).
function isPlanned(now: ListedFile, run: ListedRun): boolean {
  const key = `${inodeKey(now)}:${now.head?.sha256 ?? now.mtimeMs}`;
  if (run.planned.has(key)) return true;
  run.planned.add(key);
  return false;
}
