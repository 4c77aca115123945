import { existsSync } from "node:fs";
import { join } from "node:path";
import { TelemetryError } from "../errors/index.js";
import { AtomicDirectory, SUCCESS_MARKER } from "./atomic-directory.js";
import { DEFAULT_ROW_GROUP_SIZE } from "./defaults.js";
import type { SegmentResult } from "./engine/segment.js";
import { PARTITION_BY, type PartitionBy } from "./engine/split-columns.js";
import type { ExportFormat, ExportOptions, ExportResult } from "./export-events.js";
import {
  EXPORT_STATE_FILE,
  type ExportState,
  exportStateText,
} from "./incremental/export-state.js";
import type { IncrementalOutcome } from "./incremental/incremental-etl.js";
import { matchFiles, type ReadMark } from "./incremental/match-state.js";
import { checkIncrementalOptions, continuation, Resume } from "./incremental/resume.js";
import { readStateFile, runKey } from "./incremental/state-file.js";
import { prepareOutputDirectory } from "./output-guard.js";
import { resolveInputs } from "./resolve-inputs.js";
import { scanInto } from "./scan-into.js";
import { directoryLockPath, lockWait, withRunLock } from "./state/output-lock.js";
import type { RunLock } from "./state/run-lock.js";
import type { EventWriter } from "./writers/event-writer.js";
import type { PartitionedParquetOptions } from "./writers/partitioned-parquet-writer.js";

function check(options: ExportOptions, format: ExportFormat): { by: PartitionBy; output: string } {
  const by = options.partitionBy as PartitionBy;
  if (!PARTITION_BY.includes(by)) {
    throw new TelemetryError(
      "usage",
      `unknown partitioning ${JSON.stringify(by)}; use ${PARTITION_BY.join(", ")}`,
    );
  }
  if (format !== "parquet")
    throw new TelemetryError("usage", "--partition-by needs --format parquet");
  if (typeof options.output !== "string") {
    throw new TelemetryError("usage", "a partitioned export needs --output DIR, not stdout");
  }
  if (options.incremental === true) checkIncrementalOptions(options);
  return { by, output: options.output };
}

async function write(
  directory: AtomicDirectory,
  writerOptions: PartitionedParquetOptions,
  lock: RunLock,
  run: (writer: EventWriter) => ReturnType<typeof scanInto>,
): Promise<ExportResult> {
  let writer: EventWriter | undefined;
  try {
    // Loaded only on this path: the Parquet library is the heaviest dependency.
    const { createPartitionedParquetWriter } = await import(
      "./writers/partitioned-parquet-writer.js"
    );
    writer = createPartitionedParquetWriter(directory, writerOptions);
    const scan = await run(writer);
    await lock.assertHeld();
    await writer.finish();
    return { scan, events: scan.totals.valid, files: writer.files ?? 0 };
  } catch (error) {
    await (writer ?? directory).abort().catch(() => undefined);
    throw error;
  }
}

/**
 * The Hive-partitioned Parquet export: a whole directory written atomically. Incremental runs
 * carry the previous export's part files over (hard links), add part files for what was
 * appended since, and keep their state inside the directory, so state and data change together.
 */
export async function exportPartitioned(
  options: ExportOptions,
  format: ExportFormat,
): Promise<ExportResult> {
  const { by, output } = check(options, format);
  const waitMs = lockWait(options.lockWaitMs);
  prepareOutputDirectory(output, options.inputs);
  // Every run that replaces the directory holds its lock, so no two runs interleave.
  return withRunLock(directoryLockPath(output), waitMs, async (lock) => {
    const base = { partitionBy: by, rowGroupSize: options.rowGroupSize };
    if (options.incremental !== true) {
      const directory = await AtomicDirectory.create(output);
      return write(directory, base, lock, (writer) => scanInto(options, [writer]));
    }
    return exportIncremental(options, output, by, base, lock);
  });
}

async function exportIncremental(
  options: ExportOptions,
  output: string,
  by: PartitionBy,
  base: PartitionedParquetOptions,
  lock: RunLock,
): Promise<ExportResult> {
  const { inputs, key } = runKey("partitioned-export", options, {
    partitionBy: by,
    rowGroupSize: options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE,
  });
  const resolved = resolveInputs(inputs);
  const prior =
    options.full === true
      ? { reason: "--full" }
      : existsSync(join(output, SUCCESS_MARKER))
        ? await readStateFile<ExportState>(join(output, EXPORT_STATE_FILE), key)
        : { reason: "no previous export" };
  const { state, reason, saved, identities } = continuation(prior, resolved, (s: ExportState) =>
    matchFiles(s.files, resolved),
  );
  const lines: number[] = [];
  const resume = new Resume(resolved, saved, identities, (files) => {
    lines.push(...files.map((f) => saved.get(f.path)?.lines ?? 0));
  });
  const lineCounter = {
    want: {},
    accept: (r: SegmentResult) => {
      if (!resume.isTail(r)) lines[r.fileIndex] = (lines[r.fileIndex] ?? 0) + r.lines;
    },
  };
  const dropped = new Set([EXPORT_STATE_FILE, SUCCESS_MARKER, ...(state?.tails ?? [])]);
  const directory =
    state === undefined
      ? await AtomicDirectory.create(output)
      : await AtomicDirectory.createFrom(output, (relative) => !dropped.has(relative));
  let marks: ReadMark[] | undefined;
  const result = await write(
    directory,
    {
      ...base,
      incremental: {
        parts: state?.parts ?? {},
        isTail: resume.isTail,
        // A file that could not be read to its end leaves no state: the next run starts over.
        beforeCommit: async ({ parts, tails }) => {
          if (marks === undefined) return;
          const text = exportStateText(key, { files: marks, parts, tails });
          await directory.writeFile(EXPORT_STATE_FILE, Buffer.from(text));
        },
      },
    },
    lock,
    async (writer) => {
      const scan = await scanInto(options, [writer, lineCounter], resume.options);
      if (scan.files.every((f) => f.error === undefined)) {
        marks = resume.files.map((file, i) => ({
          path: file.path,
          identity: identities.get(file.path) as ReadMark["identity"],
          offset: file.committedEnd ?? file.bytes,
          lines: lines[i] ?? 0,
        }));
        if (marks.some((m) => m.identity === undefined)) marks = undefined;
      }
      return scan;
    },
  );
  const incremental: IncrementalOutcome =
    reason === undefined
      ? { mode: "incremental", ...resume.bytes() }
      : { mode: "full", reason, ...resume.bytes() };
  return { ...result, incremental };
}
