import { TelemetryError } from "../errors/index.js";
import { aggregateEvents } from "./aggregate-events.js";
import type { ReportOptions } from "./build-report.js";
import { DEFAULT_REPORT_OUTPUT } from "./defaults.js";
import { canonicalPath, prepareOutput } from "./output-guard.js";
import { checkRunOutputs, diagnosticsOutput } from "./plan/output-rules.js";
import { type HtmlReportOptions, renderReportHtml } from "./present/report-html.js";
import { readAggregateReport } from "./read-report.js";
import type { AggregateReport } from "./report-schema.js";
import type { ScanResult } from "./scan.js";
import type { ScanOptions } from "./scan-into.js";
import { writeTextFile } from "./write-json-file.js";

/** Where a report's numbers come from: a saved aggregate report, or a fresh read of the inputs. */
export interface ReportSourceOptions extends ScanOptions, ReportOptions {
  /** An aggregate report file to use instead of reading the inputs. Default: read the inputs. */
  readonly from?: string | undefined;
}

/** An aggregate report, and the scan that produced it when the inputs were read. */
export interface LoadedReport {
  readonly report: AggregateReport;
  /** Absent when the report was read from a file. */
  readonly scan?: ScanResult;
}

/** Reads the aggregate report named by `from`, or builds one from the inputs. */
export async function loadReport(options: ReportSourceOptions): Promise<LoadedReport> {
  if (options.from !== undefined) return { report: await readAggregateReport(options.from) };
  return aggregateEvents(options);
}

/** Options of {@link writeHtmlReport}. */
export interface WriteHtmlReportOptions extends ReportSourceOptions, HtmlReportOptions {
  /** The HTML file (written atomically). Default `reports/analytics/telemetry_report.html`. */
  readonly output?: string | undefined;
}

/** What {@link writeHtmlReport} wrote. */
export interface WriteHtmlReportResult extends LoadedReport {
  readonly path: string;
}

/** Writes the self-contained HTML report of the inputs (or of a saved aggregate report). */
export async function writeHtmlReport(
  options: WriteHtmlReportOptions = {},
): Promise<WriteHtmlReportResult> {
  const path = options.output ?? DEFAULT_REPORT_OUTPUT;
  if (options.from !== undefined && canonicalPath(options.from) === canonicalPath(path)) {
    throw new TelemetryError(
      "output_conflict",
      `output ${path} is the --from report; choose another path`,
    );
  }
  const outputs = [
    { option: "output", path, kind: "file" } as const,
    diagnosticsOutput(options.diagnosticsFile),
  ];
  // A report made from a saved aggregate report reads no inputs: only the outputs' own rules.
  checkRunOutputs(options.from === undefined ? options.inputs : null, outputs);
  prepareOutput(path, options.inputs);
  const loaded = await loadReport(options);
  await writeTextFile(path, renderReportHtml(loaded.report, options), options.inputs);
  return { ...loaded, path };
}
