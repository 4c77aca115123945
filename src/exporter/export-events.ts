import type { Writable } from "node:stream";
import { TelemetryError } from "../errors/index.js";
import { MAX_ROW_GROUP_SIZE } from "./defaults.js";
import type { PartitionBy } from "./engine/split-columns.js";
import type { IncrementalOutcome } from "./incremental/incremental-etl.js";
import { prepareOutput } from "./output-guard.js";
import type { OutputSink } from "./output-sink.js";
import { StreamSink } from "./output-sink.js";
import { checkRunOutputs, diagnosticsOutput } from "./plan/output-rules.js";
import type { ReadOptions } from "./read-options.js";
import type { ScanResult } from "./scan.js";
import { type ScanOptions, scanInto } from "./scan-into.js";
import { type EventWriter, TextEventWriter } from "./writers/event-writer.js";

/** Export formats. */
export const EXPORT_FORMATS = ["json", "jsonl", "parquet"] as const;

/** An export format: `json` (one array), `jsonl` (a line per event) or `parquet`. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Options of {@link exportEvents}. */
export interface ExportOptions extends ScanOptions {
  /** Output format. Default `"json"`. */
  readonly format?: ExportFormat | undefined;
  /** A file path (written atomically), or a stream such as stdout (JSON and JSONL only). */
  readonly output: string | Writable;
  /** Rows per Parquet row group. Default 100,000. */
  readonly rowGroupSize?: number | undefined;
  /**
   * Parquet only: write a Hive-partitioned directory at `output`
   * (`channel=…/day=…/part-00000.parquet`) instead of one file. Default: one file.
   */
  readonly partitionBy?: PartitionBy | undefined;
  /**
   * With `partitionBy`: continue the export at `output`, reading only what was appended since
   * the last run and adding part files for it (state in `output/.export-state.json`). Default `false`.
   */
  readonly incremental?: boolean | undefined;
  /** With `incremental`: ignore the saved state and export everything again. */
  readonly full?: boolean | undefined;
  /**
   * With `partitionBy`: how long to wait for another export to the same directory to finish
   * (runs hold a lock beside it, `.<name>.lock`); then fail with `output_locked`. Default 30 s.
   */
  readonly lockWaitMs?: number | undefined;
}

/** What an export did. */
export interface ExportResult {
  readonly scan: ScanResult;
  /** Events written. */
  readonly events: number;
  /** With `partitionBy`: the part files written. */
  readonly files?: number;
  /** With `incremental`: whether the state was continued, and how much was read. */
  readonly incremental?: IncrementalOutcome;
}

async function createWriter(
  format: ExportFormat,
  sink: OutputSink,
  rowGroupSize?: number,
): Promise<EventWriter> {
  if (format !== "parquet") return new TextEventWriter(sink, format);
  // Loaded only on this path: the Parquet library is the heaviest dependency.
  const { createParquetWriter } = await import("./writers/parquet-writer.js");
  return createParquetWriter(sink, rowGroupSize === undefined ? {} : { rowGroupSize });
}

/** Opens the sinks for `output`: checks it, and refuses Parquet on a stream. */
export async function openSink(
  output: string | Writable,
  format: ExportFormat,
  inputs: ReadOptions["inputs"],
) {
  if (typeof output !== "string") {
    if (format === "parquet") {
      throw new TelemetryError(
        "usage",
        "Parquet cannot be written to stdout; give --output a file path",
      );
    }
    return new StreamSink(output);
  }
  prepareOutput(output, inputs);
  const { openOutputSink } = await import("./sinks/open-output-sink.js");
  return openOutputSink(output);
}

/**
 * Reads the inputs once and writes every valid event (after filters) in the chosen format.
 * On any failure, including `--strict` stopping at an invalid line, nothing is written: a
 * previous output file stays as it was and no temp file is left.
 */
export async function exportEvents(options: ExportOptions): Promise<ExportResult> {
  const format = options.format ?? "json";
  if (!EXPORT_FORMATS.includes(format)) {
    throw new TelemetryError(
      "usage",
      `unknown format ${JSON.stringify(format)}; use json, jsonl or parquet`,
    );
  }
  const rows = options.rowGroupSize;
  if (
    rows !== undefined &&
    (!Number.isSafeInteger(rows) || rows < 1 || rows > MAX_ROW_GROUP_SIZE)
  ) {
    throw new TelemetryError(
      "usage",
      `--row-group-size must be a whole number from 1 to ${MAX_ROW_GROUP_SIZE.toLocaleString("en-US")}`,
    );
  }
  checkRunOutputs(options.inputs, [
    typeof options.output === "string"
      ? {
          option: "output",
          path: options.output,
          kind: options.partitionBy === undefined ? "file" : "directory",
        }
      : undefined,
    diagnosticsOutput(options.diagnosticsFile),
  ]);
  if (options.partitionBy !== undefined) {
    const { exportPartitioned } = await import("./partitioned-export.js");
    return exportPartitioned(options, format);
  }
  if (options.incremental === true) {
    throw new TelemetryError(
      "usage",
      "--incremental export needs --partition-by (one file cannot be added to)",
    );
  }
  const sink = await openSink(options.output, format, options.inputs);
  let writer: EventWriter | undefined;
  try {
    writer = await createWriter(format, sink, options.rowGroupSize);
    const scan = await scanInto(options, [writer]);
    await writer.finish();
    return { scan, events: scan.totals.valid };
  } catch (error) {
    await (writer ?? sink).abort().catch(() => undefined);
    throw error;
  }
}
