import { DEFAULT_AGGREGATE_OUTPUT } from "../contracts.js";
import type { CliCommand } from "./command.js";
import { EXIT } from "./exit-codes.js";
import { filterFlags, fromFlag, readFlags } from "./shared-flags.js";
import { paletteFor, summaryWidth } from "./terminal.js";

/** `summary`: the report as a table on the terminal. */
export const summaryCommand: CliCommand = {
  name: "summary",
  describe: "Print a table of events per channel and day, top events and anomalies",
  flags: (y) =>
    fromFlag(filterFlags(readFlags(y, false)))
      .example("$0 summary", "")
      .example(`$0 summary --from ${DEFAULT_AGGREGATE_OUTPUT}`, ""),
  async run(c) {
    const { loadReport } = await import("../commands/html-report.js");
    const { formatReportSummary } = await import("../report/present/report-summary.js");
    const from = c.argv.from as string | undefined;
    const { report } = await loadReport({ ...c.read, filters: c.filters, from }, c.tuning);
    c.progressDone();
    const style = paletteFor(c.io, "stdout");
    c.io.stdout.write(formatReportSummary(report, { style, width: summaryWidth(c.io) }));
    return EXIT.ok;
  },
};
