import { join } from "node:path";
import { Aggregator } from "./aggregator.js";
import { buildReport } from "./build-report.js";
import { type ScanOptions, scanWithDiagnostics } from "./diagnostics-file.js";
import { openSink } from "./export-events.js";
import { prepareOutput } from "./output-guard.js";
import type { AggregateReport } from "./report-schema.js";
import type { ScanResult } from "./scan.js";
import { writeJsonFile } from "./write-json-file.js";
import { JsonArrayWriter } from "./writers/json-writer.js";

/** Default `etl --output-dir`, from the design. */
export const DEFAULT_OUTPUT_DIR = "reports/analytics";

/** File names `etl` writes inside its output directory. */
export const ETL_FILES = {
  events: "telemetry_events.json",
  aggregates: "telemetry_aggregates.json",
} as const;

/** Options of {@link runEtl}. */
export interface EtlOptions extends ScanOptions {
  /** Directory for `telemetry_events.json` and `telemetry_aggregates.json`. Default `reports/analytics`. */
  readonly outputDir?: string | undefined;
  /** The report's `generated_at`. Default: now. */
  readonly now?: (() => Date) | undefined;
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
  const writer = new JsonArrayWriter(await openSink(eventsPath, "json", options.inputs));
  try {
    const aggregator = new Aggregator();
    const scan = await scanWithDiagnostics(options, [writer, aggregator]);
    const report = buildReport(
      scan,
      aggregator,
      (options.now ?? (() => new Date()))(),
      options.filters,
    );
    await writer.finish();
    await writeJsonFile(aggregatesPath, report, options.inputs);
    return { scan, report, eventsPath, aggregatesPath };
  } catch (error) {
    await writer.abort().catch(() => undefined);
    throw error;
  }
}
