import { join } from "node:path";
import { DEFAULT_OUTPUT_DIR, ETL_FILES, type EtlOptions, type EtlResult } from "../contracts.js";
import { CountsConsumer } from "../engine/counts-consumer.js";
import type { OutputRequest } from "../plan/output-checks.js";
import { type EngineTuning, planRun } from "../plan/run-plan.js";
import { buildReport } from "../report/build-report.js";
import { renderReportHtml } from "../report/present/report-html.js";
import { TextEventWriter } from "../sinks/event-writer.js";
import { openSink } from "../sinks/open-sink.js";
import { readIntoSinks } from "../sinks/read-into-sinks.js";
import { writeJsonFile, writeTextFile } from "../sinks/text-file.js";

const file = (path: string): OutputRequest => ({ path, kind: "file", option: ["outputDir"] });

/**
 * The JSON export, the aggregate report and its HTML rendering from one pass over the inputs.
 * Each file is written atomically; if the read fails, all previous files stay as they were.
 */
export async function runEtl(options: EtlOptions = {}, tuning?: EngineTuning): Promise<EtlResult> {
  const dir = options.outputDir ?? DEFAULT_OUTPUT_DIR;
  const eventsPath = join(dir, ETL_FILES.events);
  const aggregatesPath = join(dir, ETL_FILES.aggregates);
  const reportPath = join(dir, ETL_FILES.report);
  const outputs = [file(aggregatesPath), file(reportPath), file(eventsPath)];
  if (options.incremental === true) {
    // Loaded only here: a full run needs none of the state and resume code.
    const { STATE_FILE } = await import("../state/etl-state.js");
    const { runIncrementalEtl } = await import("./etl-incremental.js");
    const state = join(dir, STATE_FILE);
    const run = planRun(options, [...outputs, file(state)], { incremental: true, tuning });
    const paths = { events: eventsPath, aggregates: aggregatesPath, report: reportPath, state };
    const { scan, report, outcome } = await runIncrementalEtl(run, paths, {
      now: options.now,
      full: options.full === true,
    });
    return { scan, report, eventsPath, aggregatesPath, reportPath, incremental: outcome };
  }
  const run = planRun(options, outputs, { tuning });
  const writer = new TextEventWriter(await openSink(eventsPath, "json"), "json");
  try {
    const counts = new CountsConsumer();
    const scan = await readIntoSinks(run, [writer, counts]);
    const report = buildReport(scan, counts.counts, {
      generatedAt: options.now?.() ?? new Date(),
      filters: run.read.filters,
    });
    await writer.finish();
    await writeJsonFile(aggregatesPath, report);
    await writeTextFile(reportPath, renderReportHtml(report));
    return { scan, report, eventsPath, aggregatesPath, reportPath };
  } catch (error) {
    await writer.abort().catch(() => undefined);
    throw error;
  }
}
