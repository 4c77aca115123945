export type { TelemetryErrorCode } from "../errors/index.js";
export { isTelemetryError, TelemetryError } from "../errors/index.js";
export type { AggregateOptions, AggregateResult } from "./aggregate-events.js";
export { aggregateEvents } from "./aggregate-events.js";
export type { ReportOptions } from "./build-report.js";
export {
  DEFAULT_AGGREGATE_OUTPUT,
  DEFAULT_INPUTS,
  DEFAULT_MAX_LINE_BYTES,
  DEFAULT_OUTPUT_DIR,
  DEFAULT_REPORT_OUTPUT,
  DEFAULT_ROW_GROUP_SIZE,
} from "./defaults.js";
export type {
  Diagnostic,
  DiagnosticCode,
  ErrorDiagnosticCode,
  WarningDiagnosticCode,
} from "./diagnostics.js";
export { formatDiagnostic } from "./diagnostics.js";
export type { PartitionBy } from "./engine/split-columns.js";
export { PARTITION_BY } from "./engine/split-columns.js";
export type { ExportFormat, ExportOptions, ExportResult } from "./export-events.js";
export { EXPORT_FORMATS, exportEvents } from "./export-events.js";
export type { EventFilters } from "./filters.js";
export type {
  LoadedReport,
  ReportSourceOptions,
  WriteHtmlReportOptions,
  WriteHtmlReportResult,
} from "./html-report.js";
export { loadReport, writeHtmlReport } from "./html-report.js";
export type { IncrementalOutcome } from "./incremental/incremental-etl.js";
export { removeTempFilesSync } from "./output-sink.js";
export type { OutputStream } from "./output-stream.js";
export type { HtmlReportOptions } from "./present/report-html.js";
export { renderReportHtml } from "./present/report-html.js";
export type { SummaryOptions } from "./present/report-summary.js";
export { formatReportSummary } from "./present/report-summary.js";
export type { TextStyle } from "./present/text-style.js";
export type { ReadOptions, ScanProgress } from "./read-options.js";
export { readAggregateReport } from "./read-report.js";
export type { AggregateReport, FileInventory, ReportDiagnostic } from "./report-schema.js";
export {
  aggregateReportJsonSchema,
  aggregateReportSchema,
  REPORT_VERSION,
} from "./report-schema.js";
export type { EtlOptions, EtlResult } from "./run-etl.js";
export { ETL_FILES, runEtl } from "./run-etl.js";
export type { EventVisitor, ScanResult } from "./scan.js";
export { scanEvents } from "./scan.js";
export type { ScanOptions } from "./scan-into.js";
export type { ValidateResult } from "./validate-events.js";
export { validateEvents } from "./validate-events.js";
