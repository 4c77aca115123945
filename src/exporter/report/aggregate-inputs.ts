import type { AggregateResult, ReportOptions, ScanOptions } from "../contracts.js";
import { CountsConsumer } from "../engine/counts-consumer.js";
import { readIntoSinks } from "../sinks/read-into-sinks.js";
import { buildReport } from "./build-report.js";

/** Reads the inputs once and builds the aggregate report from them; writes no report file. */
export async function aggregateInputs(
  options: ScanOptions & ReportOptions,
): Promise<AggregateResult> {
  const counts = new CountsConsumer();
  const scan = await readIntoSinks(options, [counts]);
  const report = buildReport(scan, counts.counts, options, options.filters);
  return { report, scan };
}
