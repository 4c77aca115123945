import { dirname, join } from "node:path";
import { buildReport, type ReportOptions } from "./build-report.js";
import { DEFAULT_OUTPUT_DIR } from "./defaults.js";
import { CountsConsumer } from "./engine/counts-consumer.js";
import { openSink } from "./export-events.js";
import type { IncrementalOutcome } from "./incremental/incremental-etl.js";
import { prepareOutput } from "./output-guard.js";
import { checkRunOutputs, diagnosticsOutput } from "./plan/output-rules.js";
import { renderReportHtml } from "./present/report-html.js";
import type { AggregateReport } from "./report-schema.js";
import type { ScanResult } from "./scan.js";
import { type ScanOptions, scanInto } from "./scan-into.js";
import { ETL_LOCK_FILE, lockWait, withRunLock } from "./state/output-lock.js";
import type { RunLock } from "./state/run-lock.js";
import { writeJsonFile, writeTextFile } from "./write-json-file.js";
import { TextEventWriter } from "./writers/event-writer.js";

/** File names `etl` writes inside its output directory. */
export const ETL_FILES = {
  events: "telemetry_events.json",
  aggregates: "telemetry_aggregates.json",
  report: "telemetry_report.html",
} as const;

/** Options of {@link runEtl}. */
export interface EtlOptions extends ScanOptions, ReportOptions {
  /** Directory for the events, the aggregate report and the HTML report. Default `reports/analytics`. */
  readonly outputDir?: string | undefined;
  /**
   * Continue from `<outputDir>/.etl-state.json`: read only what was appended since the last run,
   * and keep the state for the next. Default `false` (read everything, keep no state).
   */
  readonly incremental?: boolean | undefined;
  /** With `incremental`: ignore the saved state, read everything and save a fresh state. */
  readonly full?: boolean | undefined;
  /**
   * How long to wait for another ETL run on the same output directory to finish (runs hold a
   * lock on it from reading the state to saving it); then fail with `output_locked`. Default 30 s.
   */
  readonly lockWaitMs?: number | undefined;
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

/**
 * The JSON export, the aggregate report and its HTML rendering from one pass over the inputs.
 * Each file is written atomically; if the read fails, all previous files stay as they were.
 */
export async function runEtl(options: EtlOptions = {}): Promise<EtlResult> {
  const dir = options.outputDir ?? DEFAULT_OUTPUT_DIR;
  const eventsPath = join(dir, ETL_FILES.events);
  const aggregatesPath = join(dir, ETL_FILES.aggregates);
  const reportPath = join(dir, ETL_FILES.report);
  const files = dir === "" ? [""] : [eventsPath, aggregatesPath, reportPath];
  checkRunOutputs(options.inputs, [
    ...files.map((path) => ({ option: "outputDir", path, kind: "file" as const })),
    diagnosticsOutput(options.diagnosticsFile),
  ]);
  const waitMs = lockWait(options.lockWaitMs);
  prepareOutput(aggregatesPath, options.inputs);
  prepareOutput(reportPath, options.inputs);
  return withRunLock(join(dir, ETL_LOCK_FILE), waitMs, async (lock) => {
    const paths = { events: eventsPath, aggregates: aggregatesPath, report: reportPath };
    if (options.incremental === true) return runIncremental(options, paths, lock);
    return runFull(options, paths, lock);
  });
}

interface EtlFilePaths {
  readonly events: string;
  readonly aggregates: string;
  readonly report: string;
}

async function runIncremental(
  options: EtlOptions,
  files: EtlFilePaths,
  lock: RunLock,
): Promise<EtlResult> {
  // Loaded only here: a full run needs neither the state files nor their checks.
  const { STATE_FILE } = await import("./incremental/etl-state.js");
  const { runIncrementalEtl } = await import("./incremental/incremental-etl.js");
  const paths = { ...files, state: join(dirname(files.events), STATE_FILE) };
  prepareOutput(files.events, options.inputs);
  const { scan, report, outcome } = await runIncrementalEtl(options, paths, lock);
  return {
    scan,
    report,
    eventsPath: files.events,
    aggregatesPath: files.aggregates,
    reportPath: files.report,
    incremental: outcome,
  };
}

async function runFull(
  options: EtlOptions,
  { events: eventsPath, aggregates: aggregatesPath, report: reportPath }: EtlFilePaths,
  lock: RunLock,
): Promise<EtlResult> {
  const writer = new TextEventWriter(await openSink(eventsPath, "json", options.inputs), "json");
  try {
    const counts = new CountsConsumer();
    const scan = await scanInto(options, [writer, counts]);
    const report = buildReport(scan, counts.counts, options, options.filters);
    await lock.assertHeld();
    await writer.finish();
    await writeJsonFile(aggregatesPath, report, options.inputs);
    await writeTextFile(reportPath, renderReportHtml(report), options.inputs);
    return { scan, report, eventsPath, aggregatesPath, reportPath };
  } catch (error) {
    await writer.abort().catch(() => undefined);
    throw error;
  }
}
