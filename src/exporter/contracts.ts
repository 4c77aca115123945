// The exporter's public option and result types and its constants, in one place free of run-time
// imports: the CLI's --help shows the defaults, and every layer may import from here.
import type { TelemetryEvent } from "../schema/index.js";
import type { Diagnostic, DiagnosticLog } from "./model/diagnostics.js";
import type { EventFilters } from "./model/filters.js";
import type { IncrementalOutcome } from "./model/incremental-outcome.js";
import type { LineTotals } from "./model/line-counts.js";
import type { AggregateReport, FileInventory } from "./model/report-schema.js";
import type { SharedWriterOptions, WriterOwner } from "./model/writer-owner.js";

export type {
  FoldedArchive,
  IncrementalOutcome,
  UnfinishedFile,
} from "./model/incremental-outcome.js";

/**
 * What an export needs of a writable stream such as `process.stdout` or any Node `Writable`.
 * Structural on purpose: the public types then need no `@types/node` in the consuming app.
 */
export interface OutputStream {
  write(chunk: string | Uint8Array, callback: (error?: Error | null) => void): boolean;
  once(event: "drain", listener: () => void): unknown;
  once(event: "error", listener: (error: Error) => void): unknown;
  // Optional: a stream that has them (every Node Writable) gets its errors, such as EPIPE when
  // the reader exits early, turned into a failed write instead of an unhandled 'error' event.
  on?(event: "error", listener: (error: Error) => void): unknown;
  off?(event: "drain", listener: () => void): unknown;
  off?(event: "error", listener: (error: Error) => void): unknown;
}

// Defaults: the CLI's --help shows them and the plan applies them. Tests check the two that must
// match the Tracker's defaults.

/** Default `--input`: the Tracker's default directory. */
export const DEFAULT_INPUTS: readonly string[] = ["reports/telemetry"];

/** Default `--max-line-bytes`: 1 MiB, the Tracker's default `maxEventBytes`. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

/** Default `etl --output-dir`, from the design. */
export const DEFAULT_OUTPUT_DIR = "reports/analytics";

/** Default `aggregate --output`, from the design. */
export const DEFAULT_AGGREGATE_OUTPUT = "reports/analytics/telemetry_aggregates.json";

/** Default `--row-group-size`: large enough for analytics scans, small enough to stream. */
export const DEFAULT_ROW_GROUP_SIZE = 100_000;

/** Largest `--row-group-size` (a group is also cut at 16 MiB of payload, whatever its rows). */
export const MAX_ROW_GROUP_SIZE = 1_000_000;

/** Default `report --output`: beside the aggregate report. */
export const DEFAULT_REPORT_OUTPUT = "reports/analytics/telemetry_report.html";

/**
 * Most worker threads a read may use. Past the cores there is nothing to gain, and each worker
 * holds its own heap and two segments in flight: a bound far above any machine's useful count
 * that still keeps memory in hundreds of MB.
 */
export const MAX_WORKERS = 32;
/** Default `--lock-wait`: how long a run waits for another run writing the same output. */
export const DEFAULT_LOCK_WAIT_MS = 30_000;

/** Export formats. */
export const EXPORT_FORMATS = ["json", "jsonl", "parquet"] as const;

/** An export format: `json` (one array), `jsonl` (a line per event) or `parquet`. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The partitionings a Parquet export offers. */
export const PARTITION_BY = ["day", "channel", "channel,day"] as const;

/** How a partitioned export splits events: by channel, by UTC day, or both (in that order). */
export type PartitionBy = (typeof PARTITION_BY)[number];

/** File names `etl` writes inside its output directory. */
export const ETL_FILES = {
  events: "telemetry_events.json",
  aggregates: "telemetry_aggregates.json",
  report: "telemetry_report.html",
} as const;

/** How far a read has got, for progress displays. */
export interface ScanProgress {
  readonly bytesRead: number;
  readonly totalBytes: number;
  readonly lines: number;
  readonly events: number;
}

/** The clock a read consults about files still being written (tests pass their own). */
export interface ReadClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
}

/** Options shared by every exporter operation that reads inputs. */
export interface ReadOptions {
  /** Directories, files or globs. Default `["reports/telemetry"]`. */
  readonly inputs?: readonly string[] | undefined;
  /**
   * Stop at the first invalid line (or missing or unreadable input) with a `TelemetryError`, writing nothing.
   * With `incremental`: the first invalid line among the data this run reads (what was appended
   * since the last run); the previous outputs and state stay as they were, so a fixed input
   * resumes from the same place. Default `false`.
   */
  readonly strict?: boolean | undefined;
  /** Longest line read, in bytes; longer lines are `line_too_long`. Default 1 MiB. */
  readonly maxLineBytes?: number | undefined;
  /** Which valid events to keep. Default: all. */
  readonly filters?: EventFilters | undefined;
  /** Called with every diagnostic as it is found. */
  readonly onDiagnostic?: ((diagnostic: Diagnostic) => void) | undefined;
  /** Called after every chunk read. */
  readonly onProgress?: ((progress: ScanProgress) => void) | undefined;
  /**
   * The clock that tells a file still being written from one torn by a crash (see the README's
   * "Files being written"). Default: the system clock.
   */
  readonly clock?: ReadClock | undefined;
}

/** Read options plus an optional file receiving every diagnostic as JSON Lines. */
export interface ScanOptions extends ReadOptions {
  /** Also write every diagnostic as JSON Lines to this file (atomically). Default: none. */
  readonly diagnosticsFile?: string | undefined;
}

/** Receives every valid event that passes the filters, in input order. */
export interface EventVisitor {
  event(event: TelemetryEvent): void;
  /** Called between chunks: the place to write buffered output, with backpressure. */
  drain?(): Promise<void> | void;
}

/** What a scan saw: per-file inventory, missing inputs, totals and diagnostics. */
export interface ScanResult {
  readonly inputs: readonly string[];
  readonly files: readonly FileInventory[];
  readonly missing: readonly string[];
  readonly totals: LineTotals;
  readonly filtered: boolean;
  readonly diagnostics: DiagnosticLog;
}

/** Options of the operations that write an aggregate report. */
export interface ReportOptions {
  /** The report's `generated_at`. Default: now. */
  readonly now?: (() => Date) | undefined;
}

/**
 * Options of the commands that can continue from a saved state. `incremental`: read only what
 * was appended since the last run, and save the state for the next (the ETL keeps it in
 * `<outputDir>/.etl-state.json`; a partitioned export, which needs `partitionBy`, adds part
 * files and keeps it in `<output>/.export-state.json`). Default `false`. `full`: with
 * `incremental`, ignore the saved state, read everything and save a fresh state.
 */
export interface IncrementalOptions {
  readonly incremental?: boolean | undefined;
  readonly full?: boolean | undefined;
  /**
   * How long to wait for another run writing the same output (an ETL directory, or a partitioned
   * export) to finish: runs hold a lock on it from reading the state to saving it. Then fail with
   * `output_locked`. Default 30 s.
   */
  readonly lockWaitMs?: number | undefined;
}

/** Options of `exportEvents`. */
export interface ExportOptions extends ScanOptions, IncrementalOptions, SharedWriterOptions {
  /** Output format. Default `"json"`. */
  readonly format?: ExportFormat | undefined;
  /** A file path (written atomically), or a stream such as stdout (JSON and JSONL only). */
  readonly output: string | OutputStream;
  /** Rows per Parquet row group. Default 100,000. */
  readonly rowGroupSize?: number | undefined;
  /**
   * With `strict` and a stream `output` (stdout, a FIFO, a device, which cannot be replaced
   * atomically): the directory where the output is held until the run ends, so that a run that
   * stops writes nothing to the stream. Needs room for the whole output. Default: the system's
   * temp directory (`os.tmpdir()`: `$TMPDIR`, else `/tmp`).
   */
  readonly tempDir?: string | undefined;
  /**
   * Parquet only: write a Hive-partitioned directory at `output`
   * (`channel=…/day=…/part-00000-<run>.parquet`) instead of one file. Default: one file.
   */
  readonly partitionBy?: PartitionBy | undefined;
}

/** What an export did. */
export interface ExportResult {
  readonly scan: ScanResult;
  /** Events written. */
  readonly events: number;
  /** With `partitionBy`: the part files this run wrote. */
  readonly files?: number;
  /** With `partitionBy` and `incremental`: the previous export's part files this run kept. */
  readonly filesKept?: number;
  /** With `incremental`: whether the state was continued, and how much was read. */
  readonly incremental?: IncrementalOutcome;
  /** With `takeOverWriter`: the producer that owned the writer name before this run. */
  readonly tookOverFrom?: WriterOwner;
}

/** Options of `aggregateEvents`. */
export interface AggregateOptions extends ScanOptions, ReportOptions {
  /** Where to write the report (atomically). Default: not written, only returned. */
  readonly output?: string | undefined;
}

/** What an aggregation produced. */
export interface AggregateResult {
  readonly report: AggregateReport;
  readonly scan: ScanResult;
}

/** What validation found. */
export interface ValidateResult {
  readonly scan: ScanResult;
  /** True when every line is valid (or blank) and every input exists and was readable. */
  readonly ok: boolean;
}

/** Options of `runEtl`. */
export interface EtlOptions extends ScanOptions, ReportOptions, IncrementalOptions {
  /** Directory for the events, the aggregate report and the HTML report. Default `reports/analytics`. */
  readonly outputDir?: string | undefined;
}

/** What an ETL run produced. */
export interface EtlResult {
  readonly scan: ScanResult;
  readonly report: AggregateReport;
  readonly eventsPath: string;
  readonly aggregatesPath: string;
  readonly reportPath: string;
  /** Present for incremental runs: whether the state was continued, and how much was read. */
  readonly incremental?: IncrementalOutcome;
}

/** Options of `compactDataset`. */
export interface CompactOptions {
  /** The shared dataset (written by exports with a `writer`). */
  readonly dataset: string;
  /** Rows per merged file (one row group each). Default 100,000. */
  readonly rowGroupSize?: number | undefined;
}

/** What a compaction did. */
export interface CompactResult {
  /** Partitions in which files were merged. */
  readonly partitions: number;
  /** Part files merged, and the files they became. */
  readonly filesBefore: number;
  readonly filesAfter: number;
  /** Rows in the merged files. */
  readonly rows: number;
  /**
   * Merges not published because a writer replaced some of their files meanwhile (they are
   * left to the next compaction).
   */
  readonly skipped: number;
}
