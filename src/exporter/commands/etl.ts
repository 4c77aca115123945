import { join } from "node:path";
import { DEFAULT_OUTPUT_DIR, ETL_FILES, type EtlOptions, type EtlResult } from "../contracts.js";
import { CountsConsumer } from "../engine/counts-consumer.js";
import { prepareOutput } from "../plan/output-checks.js";
import { buildReport } from "../report/build-report.js";
import { renderReportHtml } from "../report/present/report-html.js";
import { TextEventWriter } from "../sinks/event-writer.js";
import { openSink } from "../sinks/open-sink.js";
import { readIntoSinks } from "../sinks/read-into-sinks.js";
import { writeJsonFile, writeTextFile } from "../sinks/text-file.js";

/**
 * The JSON export, the aggregate report and its HTML rendering from one pass over the inputs.
 * Each file is written atomically; if the read fails, all previous files stay as they were.
 */
export async function runEtl(options: EtlOptions = {}): Promise<EtlResult> {
  const dir = options.outputDir ?? DEFAULT_OUTPUT_DIR;
  const eventsPath = join(dir, ETL_FILES.events);
  const aggregatesPath = join(dir, ETL_FILES.aggregates);
  const reportPath = join(dir, ETL_FILES.report);
  prepareOutput(aggregatesPath, options.inputs);
  prepareOutput(reportPath, options.inputs);
  if (options.incremental === true) {
    // Loaded only here: a full run needs none of the state and resume code.
    const { STATE_FILE } = await import("../state/etl-state.js");
    const { runIncrementalEtl } = await import("./etl-incremental.js");
    const paths = {
      events: eventsPath,
      aggregates: aggregatesPath,
      report: reportPath,
      state: join(dir, STATE_FILE),
    };
    prepareOutput(eventsPath, options.inputs);
    const { scan, report, outcome } = await runIncrementalEtl(options, paths);
    return { scan, report, eventsPath, aggregatesPath, reportPath, incremental: outcome };
  }
  const writer = new TextEventWriter(await openSink(eventsPath, "json", options.inputs), "json");
  try {
    const counts = new CountsConsumer();
    const scan = await readIntoSinks(options, [writer, counts]);
    const report = buildReport(scan, counts.counts, options, options.filters);
    await writer.finish();
    await writeJsonFile(aggregatesPath, report, options.inputs);
    await writeTextFile(reportPath, renderReportHtml(report), options.inputs);
    return { scan, report, eventsPath, aggregatesPath, reportPath };
  } catch (error) {
    await writer.abort().catch(() => undefined);
    throw error;
  }
}
