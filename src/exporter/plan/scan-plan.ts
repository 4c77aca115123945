import { planWorkers } from "./check-workers.js";
import type { FileIdentity } from "./file-identity.js";
import type { ReadMark } from "./match-state.js";
import { type PlannedFile, planSegments, type Segment } from "./plan-segments.js";
import type { ReadPlan } from "./run-plan.js";

/** What a scan reads: every file as planned, its segments, and where each file's lines start. */
export interface ScanPlan {
  readonly files: readonly PlannedFile[];
  readonly segments: readonly Segment[];
  /** Per file index: lines before its first byte read, so diagnostics keep their line numbers. */
  readonly lineBase: readonly number[];
  /** Worker threads to read the segments with (0: this thread), chosen by the bytes to read. */
  readonly workers: number;
}

function withWorkers(read: ReadPlan, plan: Omit<ScanPlan, "workers">): ScanPlan {
  const bytes = plan.files.reduce((sum, f) => sum + f.bytes - (f.start ?? 0), 0);
  return { ...plan, workers: planWorkers(read.workers, bytes, plan.segments.length) };
}

/**
 * Plans the segments of a run's files: all of each file, or, continuing from saved read marks,
 * each file from its mark up to the size it had when the run identified it (`sizes`). Then
 * every plain file's bytes after its last "\n" (a line still being written) are a segment of
 * their own. Each file keeps its identity, so the engine can tell one that changed while read.
 */
export function planScan(
  read: ReadPlan,
  resume?: {
    readonly saved: ReadonlyMap<string, ReadMark>;
    readonly sizes: ReadonlyMap<string, number>;
    readonly skips?: ReadonlyMap<string, number>;
    readonly identities?: ReadonlyMap<string, FileIdentity>;
    readonly unidentified?: ReadonlySet<string>;
    readonly gone?: ReadonlySet<string>;
  },
): ScanPlan {
  const paths = read.resolved.files;
  if (resume === undefined) {
    const { files, segments } = planSegments(
      paths,
      read.segmentBytes,
      undefined,
      read.maxLineBytes,
      read.resolved.listed,
    );
    return withWorkers(read, { files, segments, lineBase: files.map(() => 0) });
  }
  const starts = new Map([...resume.saved].map(([path, mark]) => [path, mark.offset]));
  const { files, segments } = planSegments(
    paths,
    read.segmentBytes,
    {
      starts,
      ends: resume.sizes,
      ...(resume.skips === undefined ? {} : { skips: resume.skips }),
      ...(resume.identities === undefined ? {} : { identities: resume.identities }),
      ...(resume.unidentified === undefined ? {} : { unidentified: resume.unidentified }),
      ...(resume.gone === undefined ? {} : { gone: resume.gone }),
    },
    read.maxLineBytes,
    read.resolved.listed,
  );
  const identified = files.map((f) => {
    const identity = resume.identities?.get(f.path);
    if (identity === undefined) return f;
    const found = read.resolved.listed?.get(f.path)?.found === true;
    return found ? { ...f, identity, found } : { ...f, identity };
  });
  return withWorkers(read, {
    files: identified,
    segments,
    lineBase: files.map((f) => resume.saved.get(f.path)?.lines ?? 0),
  });
}

/** Whether a segment starting at `start` is the unfinished last line of the planned file. */
export function isTail(file: PlannedFile | undefined, start: number): boolean {
  return (
    file?.committedEnd !== undefined &&
    start === file.committedEnd &&
    file.committedEnd < file.bytes
  );
}

/**
 * Bytes a scan read (`read`: counted from its results, fewer than planned when a file was cut
 * short meanwhile), and the planned files' total size.
 */
export function scanBytes(plan: ScanPlan, read: number): { bytesRead: number; bytesTotal: number } {
  return { bytesRead: read, bytesTotal: plan.files.reduce((n, f) => n + f.bytes, 0) };
}
