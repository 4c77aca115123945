import { join } from "node:path";
import { buildReport, type ReportOptions } from "./build-report.js";
import { DEFAULT_OUTPUT_DIR } from "./defaults.js";
import { CountsConsumer } from "./engine/counts-consumer.js";
import { openSink } from "./export-events.js";
import { prepareOutput } from "./output-guard.js";
import type { AggregateReport } from "./report-schema.js";
import type { ScanResult } from "./scan.js";
import { type ScanOptions, scanInto } from "./scan-into.js";
import { writeJsonFile } from "./write-json-file.js";
import { TextEventWriter } from "./writers/event-writer.js";

/** File names `etl` writes inside its output directory. */
export const ETL_FILES = {
  events: "telemetry_events.json",
  aggregates: "telemetry_aggregates.json",
} as const;

/** Options of {@link runEtl}. */
export interface EtlOptions extends ScanOptions, ReportOptions {
  /** Directory for `telemetry_events.json` and `telemetry_aggregates.json`. Default `reports/analytics`. */
  readonly outputDir?: string | undefined;
}

/** What an ETL run produced. */
export interface EtlResult {
  readonly scan: ScanResult;
  readonly report: AggregateReport;
  readonly eventsPath: string;
  readonly aggregatesPath: string;
}

/**
 * The JSON export and the aggregate report in one pass over the inputs. Both files are written
 * atomically; if the run fails, both previous files stay as they were.
 */
export async function runEtl(options: EtlOptions = {}): Promise<EtlResult> {
  const dir = options.outputDir ?? DEFAULT_OUTPUT_DIR;
  const eventsPath = join(dir, ETL_FILES.events);
  const aggregatesPath = join(dir, ETL_FILES.aggregates);
  prepareOutput(aggregatesPath, options.inputs);
  const writer = new TextEventWriter(await openSink(eventsPath, "json", options.inputs), "json");
  try {
    const counts = new CountsConsumer();
    const scan = await scanInto(options, [writer, counts]);
    const report = buildReport(scan, counts.counts, options, options.filters);
    await writer.finish();
    await writeJsonFile(aggregatesPath, report, options.inputs);
    return { scan, report, eventsPath, aggregatesPath };
  } catch (error) {
    await writer.abort().catch(() => undefined);
    throw error;
  }
}
