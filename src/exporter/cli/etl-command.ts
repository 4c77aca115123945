import { DEFAULT_OUTPUT_DIR } from "../contracts.js";
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
    c.say(`wrote ${result.scan.totals.valid} events to ${result.eventsPath}`);
    c.say(`wrote aggregates to ${result.aggregatesPath}`);
    c.say(`wrote the HTML report to ${result.reportPath}`);
    return EXIT.ok;
  },
};
