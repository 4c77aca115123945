// The exporter's public API: re-exports only.
export type { TelemetryErrorCode } from "../errors/index.js";
export { isTelemetryError, TelemetryError } from "../errors/index.js";
export { aggregateEvents } from "./commands/aggregate.js";
export { compactDataset } from "./commands/compact.js";
export { runEtl } from "./commands/etl.js";
export { exportEvents } from "./commands/export.js";
export type {
  LoadedReport,
  ReportSourceOptions,
  WriteHtmlReportOptions,
  WriteHtmlReportResult,
} from "./commands/html-report.js";
export { loadReport, writeHtmlReport } from "./commands/html-report.js";
export { scanEvents } from "./commands/scan-events.js";
export { validateEvents } from "./commands/validate.js";
export type {
  AggregateOptions,
  AggregateResult,
  CompactOptions,
  CompactResult,
  EtlOptions,
  EtlResult,
  EventVisitor,
  ExportFormat,
  ExportOptions,
  ExportResult,
  FoldedArchive,
  IncrementalOptions,
  IncrementalOutcome,
  OutputStream,
  PartitionBy,
  ReadClock,
  ReadOptions,
  ReportOptions,
  ScanOptions,
  ScanProgress,
  ScanResult,
  UnfinishedFile,
  ValidateResult,
} from "./contracts.js";
export {
  DEFAULT_AGGREGATE_OUTPUT,
  DEFAULT_INPUTS,
  DEFAULT_LOCK_WAIT_MS,
  DEFAULT_MAX_LINE_BYTES,
  DEFAULT_OUTPUT_DIR,
  DEFAULT_REPORT_OUTPUT,
  DEFAULT_ROW_GROUP_SIZE,
  ETL_FILES,
  EXPORT_FORMATS,
  PARTITION_BY,
} from "./contracts.js";
export type {
  Diagnostic,
  DiagnosticCode,
  ErrorDiagnosticCode,
  WarningDiagnosticCode,
} from "./model/diagnostics.js";
export { formatDiagnostic } from "./model/diagnostics.js";
export type { EventFilters } from "./model/filters.js";
export type { AggregateReport, FileInventory, ReportDiagnostic } from "./model/report-schema.js";
export {
  aggregateReportJsonSchema,
  aggregateReportSchema,
  REPORT_VERSION,
} from "./model/report-schema.js";
export type { SharedWriterOptions, WriterOwner } from "./model/writer-owner.js";
export type { HtmlReportOptions } from "./report/present/report-html.js";
export { renderReportHtml } from "./report/present/report-html.js";
export type { SummaryOptions } from "./report/present/report-summary.js";
export { formatReportSummary } from "./report/present/report-summary.js";
export type { TextStyle } from "./report/present/text-style.js";
export { readAggregateReport } from "./report/read-report.js";
export { removeTempFilesSync } from "./sinks/output-sink.js";
