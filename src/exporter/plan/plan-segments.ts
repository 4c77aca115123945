import { closeSync, fstatSync, openSync } from "node:fs";
import { deniedCode, openFailure } from "./denied-at.js";
import { type FileIdentity, holdsFile } from "./file-identity.js";
import {
  followListed,
  identityAsListed,
  type ListedFile,
  type RunFiles,
  VANISHED,
} from "./follow-listed.js";
import { inspectFile, isGone } from "./inspect-file.js";
import { unlessShort } from "./open-shortage.js";
import { planListed } from "./plan-listed.js";
import { planPlain, planResumed, withFragment } from "./segment-cuts.js";
import type { PlannedFile, ResumePlan, Segment, SegmentBase } from "./segment-types.js";

export { inspectFile } from "./inspect-file.js";
export type { PlannedFile, ResumePlan, Segment } from "./segment-types.js";

// A file with a mark that could not be opened when the run identified its inputs: why, if it
// still cannot be opened (else it failed for a moment).
function unidentified(path: string): string {
  const next = "the next run reads it from where the last one left it";
  const code = openFailure(path);
  return code === undefined
    ? `could not be opened to identify it; not read, ${next}`
    : `cannot be read (${code}); ${next}`;
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
  const taken: RunFiles = new Map(paths.map((path) => [path, listed?.get(path)]));
  const run = { taken, planned: new Set<string>() };
  for (const [fileIndex, listedPath] of paths.entries()) {
    const identity = resume === undefined ? listed?.get(listedPath) : undefined;
    if (identity !== undefined) {
      planListed(fileIndex, listedPath, identity, run, segmentBytes, maxLineBytes, files, segments);
      continue;
    }
    const path = listedPath;
    const info = inspectFile(path);
    const base = { fileIndex, path, gzip: path.endsWith(".gz") };
    // Found by listing and deleted (or compressed) before it was planned, or before it was
    // identified (see planGone).
    const found = listed?.get(path)?.found === true;
    if (found && (resume?.gone?.has(path) === true || (!info.ok && isGone(path)))) {
      planGone(base, resume, files, segments);
      continue;
    }
    if (resume?.unidentified?.has(path) === true) {
      const message = unidentified(path);
      files.push({ path, bytes: 0, unreadable: message });
      segments.push({ ...base, index: segments.length, start: 0, end: 0, unreadable: message });
      continue;
    }
    const identified = resume?.identities?.get(path);
    // Not followed for want of descriptors: planned by its path, and checked when read.
    const followed =
      resume === undefined || base.gzip || identified === undefined
        ? undefined
        : unlessShort(() => followListed(path, identityAsListed(path, identified), new Map()));
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
    const unreadable = (message: string) => {
      files.push({ path, bytes: 0, unreadable: message });
      segments.push({ ...base, index: segments.length, start: 0, end: 0, unreadable: message });
    };
    if (!info.ok) {
      unreadable(info.message);
      continue;
    }
    // A .gz is planned by its path: one another file holds by now (logrotate's numbered rotation
    // shifts `.N.gz` to `.N+1.gz`) was read in its place, its events twice, under the mark and
    // identity of the one identified. That one went from this path, as one deleted does; the next
    // run finds it under its new name.
    if (
      resume !== undefined &&
      base.gzip &&
      identified !== undefined &&
      !holdsFile(path, identified)
    ) {
      planGone(base, resume, files, segments);
      continue;
    }
    try {
      planByPath(path, info, base, resume, segmentBytes, maxLineBytes, files, segments);
    } catch (error) {
      // Deleted since it was looked at (retention racing the run): gone, as above, never an
      // error of the whole run with Node's own message. Opening is its first step: nothing of
      // it was planned yet.
      if ((error as NodeJS.ErrnoException).code === "ENOENT" && isGone(path)) {
        planGone(base, resume, files, segments);
        continue;
      }
      // There, but this user may not open it: unreadable, as in a one-shot run (its state, if
      // any, keeps its mark).
      const denied = deniedCode(error);
      if (denied === undefined) throw error;
      unreadable(`cannot be read (${denied})`);
    }
  }
  return { files, segments };
}

// A file found, then gone before it could be planned (deleted or compressed): one its state read
// is followed by the state, and lost nothing unread with it (nothing new planned, no segment,
// its mark kept); a new one is a `vanished_file` warning.
function planGone(
  base: SegmentBase,
  resume: ResumePlan | undefined,
  files: PlannedFile[],
  segments: Segment[],
): void {
  const { path } = base;
  const mark = resume?.starts.get(path);
  if (mark !== undefined) {
    files.push({ path, bytes: mark, start: mark, committedEnd: mark });
    return;
  }
  files.push({ path, bytes: 0, vanished: VANISHED });
  segments.push({ ...base, index: segments.length, start: 0, end: 0, vanished: VANISHED });
}

// A file that is there, planned by its path: resumed where its state left it, whole (a .gz),
// or cut into segments. Throws what opening it throws.
function planByPath(
  path: string,
  info: { bytes: number; mtimeMs: number },
  base: SegmentBase,
  resume: ResumePlan | undefined,
  segmentBytes: number,
  maxLineBytes: number,
  files: PlannedFile[],
  segments: Segment[],
): void {
  if (resume !== undefined) {
    planResumed(
      path,
      Math.min(info.bytes, resume.ends?.get(path) ?? info.bytes),
      resume.starts.get(path) ?? 0,
      segmentBytes,
      {
        ...base,
        ...(base.gzip && resume.skips?.has(path) ? { skip: resume.skips.get(path) as number } : {}),
      },
      files,
      segments,
    );
    withFragment(files, info.mtimeMs, base.gzip);
    return;
  }
  if (base.gzip) {
    files.push({ path, bytes: info.bytes, mtimeMs: info.mtimeMs });
    segments.push({ ...base, index: segments.length, start: 0, end: info.bytes });
    return;
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
