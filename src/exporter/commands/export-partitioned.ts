import { existsSync } from "node:fs";
import { TelemetryError } from "../../errors/index.js";
import type { ExportResult, IncrementalOutcome, ScanResult } from "../contracts.js";
import type { SegmentResult } from "../engine/segment.js";
import type { ExportPlan } from "../plan/export-plan.js";
import type { FileIdentity } from "../plan/file-identity.js";
import { planLockWait } from "../plan/lock-wait.js";
import { matchFiles, type ReadMark } from "../plan/match-state.js";
import { continuation } from "../plan/resume.js";
import { planScan, type ScanPlan, scanBytes } from "../plan/scan-plan.js";
import { SUCCESS_MARKER } from "../sinks/atomic-directory.js";
import {
  type ExportTarget,
  openExportTarget,
  type PartDirectory,
} from "../sinks/dataset/export-target.js";
import type { PartitionedParquetWriter } from "../sinks/parquet/partitioned-parquet-writer.js";
import { readIntoSinks } from "../sinks/read-into-sinks.js";
import { checkExportState } from "../state/check-state.js";
import { EXPORT_STATE_FILE, type ExportState, exportStateText } from "../state/export-state.js";
import { foldArchived, mergeFolded, shiftFolded } from "../state/fold-archived.js";
import { nextMarks } from "../state/next-marks.js";
import { directoryLockPath, withRunLock } from "../state/output-lock.js";
import { OUTPUT_REVISION } from "../state/output-revision.js";
import type { RunLock } from "../state/run-lock.js";
import { namedArchives, readStateFile, runKey } from "../state/state-file.js";

type PartitionedPlan = Extract<ExportPlan, { kind: "partitioned" }>;

async function openWriter(
  plan: PartitionedPlan,
  directory: PartDirectory,
  parts?: Readonly<Record<string, number>>,
): Promise<PartitionedParquetWriter> {
  // Loaded only on this path: the Parquet library is the heaviest dependency.
  const { createPartitionedParquetWriter } = await import(
    "../sinks/parquet/partitioned-parquet-writer.js"
  );
  return createPartitionedParquetWriter(directory, {
    partitionBy: plan.partitionBy,
    rowGroupSize: plan.rowGroupSize,
    parts,
    writer: plan.writer,
  });
}

/**
 * The Hive-partitioned Parquet export: a whole directory written atomically (or, with a
 * writer, this writer's share of a shared dataset). Incremental runs carry the previous
 * export's part files over (hard links), add part files for what was appended since, and keep
 * their state inside the directory, so state and data change together.
 */
export async function exportPartitioned(
  plan: PartitionedPlan,
  lockWaitMs: number | undefined,
): Promise<ExportResult> {
  const waitMs = planLockWait(lockWaitMs);
  const run = async (lock: RunLock | undefined) => {
    const target = await openExportTarget(
      plan.output,
      plan.claim,
      EXPORT_STATE_FILE,
      plan.partitionBy,
    );
    const result = await (plan.incremental
      ? exportIncrementally(plan, target, lock)
      : exportWhole(plan, target, lock));
    return target.tookOverFrom === undefined
      ? result
      : { ...result, tookOverFrom: target.tookOverFrom };
  };
  // The writers of a shared dataset run side by side: each publishes under the dataset's own
  // lock, and a run whose writer committed meanwhile does not commit (see SharedRun).
  if (plan.claim !== undefined) return run(undefined);
  // Every run that replaces the directory holds its lock, so no two runs interleave.
  return withRunLock(directoryLockPath(plan.output), waitMs, [plan.output], run);
}

async function exportWhole(
  plan: PartitionedPlan,
  target: ExportTarget,
  lock: RunLock | undefined,
): Promise<ExportResult> {
  const directory = await target.open(undefined);
  let writer: PartitionedParquetWriter | undefined;
  try {
    writer = await openWriter(plan, directory);
    const scan = await readIntoSinks(plan.run, [writer]);
    await lock?.assertHeld();
    await writer.finish();
    return { scan, events: scan.totals.valid, files: writer.files };
  } catch (error) {
    await (writer ?? directory).abort().catch(() => undefined);
    throw error;
  }
}

async function exportIncrementally(
  plan: PartitionedPlan,
  target: ExportTarget,
  lock: RunLock | undefined,
): Promise<ExportResult> {
  const read = plan.run.read;
  const key = runKey("partitioned-export", read, {
    partitionBy: plan.partitionBy,
    rowGroupSize: plan.rowGroupSize,
    outputs: OUTPUT_REVISION,
    ...(plan.writer === undefined ? {} : { writer: plan.writer }),
  });
  const stored =
    target.previousState !== undefined
      ? checkExportState(await readStateFile<ExportState>(target.previousState, key), (tail) =>
          existsSync(target.resolve(tail)),
        )
      : { reason: "no previous export" };
  const prior = plan.full ? { reason: "`full` was given" } : stored;
  const resumed = await continuation(prior, read.resolved, (s: ExportState) =>
    matchFiles(s.files, read.resolved, s.archived),
  );
  const { state, reason, saved, identities, skips, unfinished, overtaken } = resumed;
  // Beyond the newest archived files, one entry per channel (fold-archived.ts).
  const { archived, folded } = foldArchived(
    resumed.archived,
    shiftFolded(state?.folded ?? [], resumed.shifts),
    mergeFolded,
  );
  const sizes = new Map([...identities].map(([path, id]) => [path, id.size]));
  const { unidentified, gone } = resumed;
  const scanPlan = planScan(read, { saved, sizes, skips, identities, unidentified, gone });
  const lines = new LineCounter(scanPlan);
  const dropped = new Set([target.stateFile, SUCCESS_MARKER, ...(state?.tails ?? [])]);
  const directory = await target.open(
    state === undefined ? undefined : (relative) => !dropped.has(relative),
  );
  let writer: PartitionedParquetWriter | undefined;
  try {
    writer = await openWriter(plan, directory, state?.parts ?? {});
    const scan = await readIntoSinks(plan.run, [writer, lines], scanPlan);
    const { parts, tails } = await writer.writeParts();
    // A file that could not be read to its end leaves no state. Continuing one, nothing is
    // published either (the catch below drops what was staged): published without its state,
    // the next run was a full one, which replaced this writer's files and so dropped every
    // archived file's rows without naming them. The dataset and its state stay as they were.
    const marked = { saved, unidentified };
    const next = readMarks(scan, scanPlan, identities, marked, lines.counts);
    if ("unread" in next && state !== undefined) {
      const { path, why } = next.unread;
      throw new TelemetryError(
        "input_error",
        `${path} was not read to its end (${why}); nothing was published: the dataset and its state stay as the last run left them, and the next run reads again what this one read`,
      );
    }
    if ("marks" in next) {
      const files = next.marks;
      const text = exportStateText(key, { files, archived, folded, parts, tails });
      await directory.writeFile(target.stateFile, Buffer.from(text));
    }
    await lock?.assertHeld();
    await writer.commit();
    const again = lines.tailEvents;
    const bytes = {
      ...scanBytes(scanPlan, lines.bytesRead),
      eventsAdded: scan.totals.valid - again,
      ...(again === 0 ? {} : { eventsReadAgain: again }),
    };
    // A full run has only what exists: files archived by the state it replaces are gone.
    const named = namedArchives(stored, state === undefined ? undefined : { archived, folded });
    const torn = {
      ...(unfinished.length === 0 ? {} : { unfinished }),
      ...(overtaken.length === 0 ? {} : { overtaken }),
    };
    const incremental: IncrementalOutcome =
      reason === undefined
        ? { mode: "incremental", ...bytes, ...named, ...torn }
        : { mode: "full", reason, ...bytes, ...named };
    const kept = directory.carried;
    return { scan, events: scan.totals.valid, files: writer.files, filesKept: kept, incremental };
  } catch (error) {
    await (writer ?? directory).abort().catch(() => undefined);
    throw error;
  }
}

/** Counts each file's complete lines: the saved count, plus what this run read before its tail. */
class LineCounter {
  readonly want = {};
  readonly counts: number[];
  /** Bytes of the inputs really read by this run. */
  bytesRead = 0;
  /** Events of last lines without a newline: written to tail part files, read again next run. */
  tailEvents = 0;

  constructor(plan: ScanPlan) {
    this.counts = [...plan.lineBase];
  }

  accept(result: SegmentResult): void {
    this.bytesRead += result.bytes;
    if (result.tail === true) this.tailEvents += result.events;
    else {
      this.counts[result.fileIndex] = (this.counts[result.fileIndex] ?? 0) + result.lines;
    }
  }
}

// Where the next run resumes each file, or undefined when a file cannot be resumed.
function readMarks(
  scan: ScanResult,
  plan: ScanPlan,
  identities: ReadonlyMap<string, FileIdentity>,
  marked: { saved: ReadonlyMap<string, ReadMark>; unidentified: ReadonlySet<string> },
  lines: readonly number[],
): ReturnType<typeof nextMarks<ReadMark>> {
  const errors = scan.files.map((f) => f.error);
  const { saved, unidentified } = marked;
  return nextMarks(plan.files, errors, identities, saved, unidentified, (file, i, identity) => ({
    path: file.path,
    identity,
    offset: file.committedEnd ?? file.bytes,
    lines: lines[i] ?? 0,
  }));
}
