import type { AggregateResult, ReportOptions } from "../contracts.js";
import { CountsConsumer } from "../engine/counts-consumer.js";
import type { RunPlan } from "../plan/run-plan.js";
import { readIntoSinks } from "../sinks/read-into-sinks.js";
import { buildReport } from "./build-report.js";

/** Reads a run's inputs once and builds the aggregate report from them; writes no report file. */
export async function aggregateInputs(
  run: RunPlan,
  now: ReportOptions["now"],
): Promise<AggregateResult> {
  const counts = new CountsConsumer();
  const scan = await readIntoSinks(run, [counts]);
  const generatedAt = now?.() ?? new Date();
  const report = buildReport(scan, [counts.counts], { generatedAt, filters: run.read.filters });
  return { report, scan };
}
