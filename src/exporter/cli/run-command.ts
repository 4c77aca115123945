// Each command imports only what it needs, when it runs: the start-up of a command that hands
// its reading to worker threads is on the critical path, and the validators (zod) are not needed
// in this thread then.
import type { ExportFormat, IncrementalOutcome, PartitionBy, ScanResult } from "../contracts.js";
import type { EventFilters } from "../model/filters.js";
import { EXIT } from "./exit-codes.js";
import { progressReporter } from "./progress.js";
import { formatSummary } from "./scan-summary.js";
import { type CliIO, type Palette, paletteFor, summaryWidth } from "./terminal.js";

type Args = Record<string, unknown>;

function describeIncremental(outcome: IncrementalOutcome): string {
  const mb = (n: number) => `${(n / 1e6).toFixed(n < 1e6 ? 3 : 1)} MB`;
  const read = `read ${mb(outcome.bytesRead)} of ${mb(outcome.bytesTotal)}`;
  return outcome.mode === "incremental"
    ? `incremental: ${read} (what was appended since the last run)`
    : `incremental: full run (${outcome.reason ?? "no state"}); ${read}`;
}

// --lock-wait is in seconds; the API takes milliseconds (and rejects what is not 0 or more).
function lockWaitMs(argv: Args): number | undefined {
  const seconds = argv["lock-wait"] as number | undefined;
  return seconds === undefined ? undefined : Math.round(seconds * 1000);
}

/** Runs one parsed command; throws on failure (main() turns that into an exit code). */
export async function runCommand(
  command: string,
  argv: Args,
  filters: EventFilters,
  io: CliIO,
  palette: Palette,
): Promise<number> {
  const quiet = argv.quiet === true;
  const progress = progressReporter(io, quiet);
  const read = {
    inputs: argv.input as string[],
    strict: argv.strict === true,
    maxLineBytes: argv["max-line-bytes"] as number,
    workers: argv.workers as number | undefined,
    onProgress: progress.update,
  };
  const diagnosticsFile = argv.diagnostics as string | undefined;
  const say = (text: string) => io.stdout.write(`${text}\n`);
  const noteIncremental = (outcome: IncrementalOutcome | undefined) => {
    if (outcome !== undefined && !quiet) io.stderr.write(`${describeIncremental(outcome)}\n`);
  };
  const summarize = (scan: ScanResult) => {
    progress.done();
    if (!quiet) io.stderr.write(formatSummary(scan, palette));
  };
  try {
    switch (command) {
      case "export": {
        const target = argv.output as string;
        const toStdout = target === "-";
        const { exportEvents } = await import("../commands/export.js");
        const result = await exportEvents({
          ...read,
          filters,
          diagnosticsFile,
          format: argv.format as ExportFormat,
          output: toStdout ? io.stdout : target,
          rowGroupSize: argv["row-group-size"] as number,
          partitionBy: argv["partition-by"] as PartitionBy | undefined,
          incremental: argv.incremental === true,
          full: argv.full === true,
          lockWaitMs: lockWaitMs(argv),
        });
        summarize(result.scan);
        noteIncremental(result.incremental);
        const parts = result.files === undefined ? "" : ` (${result.files} part files)`;
        if (!toStdout) say(`wrote ${result.events} events to ${target}${parts}`);
        return EXIT.ok;
      }
      case "aggregate": {
        const { aggregateEvents } = await import("../commands/aggregate.js");
        const { scan } = await aggregateEvents({
          ...read,
          filters,
          diagnosticsFile,
          output: argv.output as string,
        });
        summarize(scan);
        say(`wrote aggregates of ${scan.totals.valid} events to ${argv.output as string}`);
        return EXIT.ok;
      }
      case "etl": {
        const { runEtl } = await import("../commands/etl.js");
        const { formatReportSummary } = await import("../report/present/report-summary.js");
        const result = await runEtl({
          ...read,
          filters,
          diagnosticsFile,
          outputDir: argv["output-dir"] as string,
          incremental: argv.incremental === true,
          full: argv.full === true,
          lockWaitMs: lockWaitMs(argv),
        });
        summarize(result.scan);
        noteIncremental(result.incremental);
        if (!quiet) {
          const style = paletteFor(io, "stdout");
          io.stdout.write(`${formatReportSummary(result.report, { style, width: summaryWidth(io) })}
`);
        }
        say(`wrote ${result.scan.totals.valid} events to ${result.eventsPath}`);
        say(`wrote aggregates to ${result.aggregatesPath}`);
        say(`wrote the HTML report to ${result.reportPath}`);
        return EXIT.ok;
      }
      case "summary": {
        const { loadReport } = await import("../commands/html-report.js");
        const { formatReportSummary } = await import("../report/present/report-summary.js");
        const { report } = await loadReport({
          ...read,
          filters,
          diagnosticsFile,
          from: argv.from as string | undefined,
        });
        progress.done();
        const style = paletteFor(io, "stdout");
        io.stdout.write(formatReportSummary(report, { style, width: summaryWidth(io) }));
        return EXIT.ok;
      }
      case "report": {
        const { writeHtmlReport } = await import("../commands/html-report.js");
        const result = await writeHtmlReport({
          ...read,
          filters,
          diagnosticsFile,
          from: argv.from as string | undefined,
          output: argv.output as string,
          title: argv.title as string,
        });
        if (result.scan !== undefined) summarize(result.scan);
        say(`wrote the HTML report to ${result.path}`);
        return EXIT.ok;
      }
      case "validate": {
        const { validateEvents } = await import("../commands/validate.js");
        const { scan, ok } = await validateEvents({ ...read, diagnosticsFile });
        summarize(scan);
        if (ok) {
          say(`all ${scan.totals.valid} records are valid`);
          return EXIT.ok;
        }
        const invalidRecords =
          scan.totals.invalid > 0 || (scan.diagnostics.byCode.invalid_gzip ?? 0) > 0;
        return invalidRecords ? EXIT.invalidRecords : EXIT.failure;
      }
      default:
        return EXIT.usage;
    }
  } finally {
    progress.done();
  }
}
