import { buildReport, type ReportOptions } from "./build-report.js";
import { CountsConsumer } from "./engine/counts-consumer.js";
import { prepareOutput } from "./output-guard.js";
import { checkRunOutputs, diagnosticsOutput } from "./plan/output-rules.js";
import type { AggregateReport } from "./report-schema.js";
import type { ScanResult } from "./scan.js";
import { type ScanOptions, scanInto } from "./scan-into.js";
import { writeJsonFile } from "./write-json-file.js";

/** Options of {@link aggregateEvents}. */
export interface AggregateOptions extends ScanOptions, ReportOptions {
  /** Where to write the report (atomically). Default: not written, only returned. */
  readonly output?: string | undefined;
}

/** What an aggregation produced. */
export interface AggregateResult {
  readonly report: AggregateReport;
  readonly scan: ScanResult;
}

/** Reads the inputs once and builds the aggregate report (counts, time range, inventory, anomalies). */
export async function aggregateEvents(options: AggregateOptions = {}): Promise<AggregateResult> {
  checkRunOutputs(options.inputs, [
    options.output === undefined
      ? undefined
      : { option: "output", path: options.output, kind: "file" },
    diagnosticsOutput(options.diagnosticsFile),
  ]);
  if (options.output !== undefined) prepareOutput(options.output, options.inputs);
  const counts = new CountsConsumer();
  const scan = await scanInto(options, [counts]);
  const report = buildReport(scan, counts.counts, options, options.filters);
  if (options.output !== undefined) await writeJsonFile(options.output, report, options.inputs);
  return { report, scan };
}
