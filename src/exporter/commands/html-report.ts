import { TelemetryError } from "../../errors/index.js";
import {
  DEFAULT_REPORT_OUTPUT,
  type ReportOptions,
  type ScanOptions,
  type ScanResult,
} from "../contracts.js";
import type { AggregateReport } from "../model/report-schema.js";
import { checkApiOptions } from "../plan/api-options.js";
import { type EngineTuning, planRun } from "../plan/run-plan.js";
import { aggregateInputs } from "../report/aggregate-inputs.js";
import { type HtmlReportOptions, renderReportHtml } from "../report/present/report-html.js";
import { readAggregateReport } from "../report/read-report.js";
import { writeTextFile } from "../sinks/text-file.js";

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

// An empty `from` (`--from "$UNSET"`) names no file: a mistake, as an empty input or output is.
function checkFrom(from: string | undefined): void {
  if (from === "") {
    throw new TelemetryError("usage", "`from` cannot be an empty path", { path: ["from"] });
  }
}

/** Reads the aggregate report named by `from`, or builds one from the inputs. */
export async function loadReport(
  options: ReportSourceOptions,
  tuning?: EngineTuning,
): Promise<LoadedReport> {
  checkApiOptions("loadReport", options);
  checkFrom(options.from);
  if (options.from !== undefined) return { report: await readAggregateReport(options.from) };
  return aggregateInputs(planRun(options, [], { tuning }), options.now);
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

// Only the page's own options reach the renderer.
function pageOptions(options: HtmlReportOptions): HtmlReportOptions {
  const { title, maxBars, topEvents } = options;
  return {
    ...(title === undefined ? {} : { title }),
    ...(maxBars === undefined ? {} : { maxBars }),
    ...(topEvents === undefined ? {} : { topEvents }),
  };
}

/** Writes the self-contained HTML report of the inputs (or of a saved aggregate report). */
export async function writeHtmlReport(
  options: WriteHtmlReportOptions = {},
  tuning?: EngineTuning,
): Promise<WriteHtmlReportResult> {
  checkApiOptions("writeHtmlReport", options);
  const path = options.output ?? DEFAULT_REPORT_OUTPUT;
  const from = options.from;
  checkFrom(from);
  // An empty title (`--title "$UNSET"`) would make a page with no name in a tab or a bookmark.
  if (options.title?.trim() === "") {
    throw new TelemetryError("usage", "`title` cannot be empty", { path: ["title"] });
  }
  const output = { path, kind: "file", option: ["output"] } as const;
  // With a saved report no input is read, but none may be overwritten either.
  const run =
    from === undefined
      ? planRun(options, [output], { tuning })
      : planRun({ inputs: options.inputs }, [output], {
          sources: [{ path: from, option: ["from"] }],
          readsInputs: false,
        });
  const loaded =
    from === undefined
      ? await aggregateInputs(run, options.now)
      : { report: await readAggregateReport(from) };
  await writeTextFile(path, renderReportHtml(loaded.report, pageOptions(options)));
  return { ...loaded, path };
}
