import { DEFAULT_OUTPUT_DIR, type IncrementalOutcome } from "../contracts.js";
import type { CliCommand } from "./command.js";
import { EXIT } from "./exit-codes.js";
import {
  FULL_FLAG,
  filterFlags,
  incrementalFlag,
  LOCK_WAIT_FLAG,
  lockWaitMs,
  readFlags,
} from "./shared-flags.js";
import { paletteFor, summaryWidth } from "./terminal.js";

/** `etl`: the JSON export, the aggregate report and the HTML report in one pass. */
export const etlCommand: CliCommand = {
  name: "etl",
  describe: "JSON export, aggregate report and HTML report in one pass (make telemetry-etl)",
  flags: (y) =>
    filterFlags(readFlags(y))
      .option("output-dir", {
        type: "string",
        requiresArg: true,
        default: DEFAULT_OUTPUT_DIR,
        describe:
          "Directory for telemetry_events.json, telemetry_aggregates.json, telemetry_report.html",
      })
      .option(
        "incremental",
        incrementalFlag(
          "Read only what was appended since the last run (state in DIR/.etl-state.json)",
        ),
      )
      .option("full", FULL_FLAG)
      .option("lock-wait", LOCK_WAIT_FLAG),
  async run(c) {
    const { runEtl } = await import("../commands/etl.js");
    const { formatReportSummary } = await import("../report/present/report-summary.js");
    const result = await runEtl(
      {
        ...c.read,
        filters: c.filters,
        outputDir: c.argv["output-dir"] as string,
        incremental: c.argv.incremental === true,
        full: c.argv.full === true,
        lockWaitMs: lockWaitMs(c.argv),
      },
      c.tuning,
    );
    c.summarize(result.scan);
    c.noteIncremental(result.incremental);
    if (!c.quiet) {
      const style = paletteFor(c.io, "stdout");
      c.io.stdout.write(
        `${formatReportSummary(result.report, { style, width: summaryWidth(c.io) })}\n`,
      );
    }
    c.say(eventsLine(result.scan.totals.valid, result.eventsPath, result.incremental));
    c.say(`wrote aggregates to ${result.aggregatesPath}`);
    c.say(`wrote the HTML report to ${result.reportPath}`);
    return EXIT.ok;
  },
};

/**
 * What happened to the events file. Events of a last line without its newline are rewritten by
 * every run until the line ends: a run that writes them did not leave the file as it was.
 */
function eventsLine(events: number, path: string, incremental?: IncrementalOutcome): string {
  const added = incremental?.eventsAdded;
  const again = incremental?.eventsReadAgain ?? 0;
  if (incremental?.eventsFileKept === true) {
    return `left ${path} as it was: nothing new to add (${events} events)`;
  }
  const notes: string[] = [];
  // Rewritten with nothing new: it dropped events of unfinished lines whose files are gone.
  if (added === 0 && again === 0 && incremental?.mode === "incremental") notes.push("none new");
  if (added !== undefined && added > 0 && added + again !== events) notes.push(`${added} new`);
  if (again > 0) {
    notes.push(`${again} on a last line without its newline yet, read again by the next run`);
  }
  return `wrote ${events} events to ${path}${notes.length === 0 ? "" : ` (${notes.join("; ")})`}`;
}
