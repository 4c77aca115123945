import { DEFAULT_AGGREGATE_OUTPUT, DEFAULT_REPORT_OUTPUT } from "../contracts.js";
import type { CliCommand } from "./command.js";
import { EXIT } from "./exit-codes.js";
import { filterFlags, fromFlag, readFlags } from "./shared-flags.js";

/** `report`: the self-contained HTML report. */
export const reportCommand: CliCommand = {
  name: "report",
  describe: "Write a self-contained HTML report with charts and tables",
  flags: (y) =>
    fromFlag(filterFlags(readFlags(y, false)))
      .option("output", {
        alias: "o",
        type: "string",
        requiresArg: true,
        default: DEFAULT_REPORT_OUTPUT,
        describe: "HTML file (written atomically)",
      })
      .option("title", {
        requiresArg: true,
        type: "string",
        default: "Telemetry report",
        describe: "Page title",
      })
      .example(`$0 report --from ${DEFAULT_AGGREGATE_OUTPUT}`, ""),
  async run(c) {
    const { writeHtmlReport } = await import("../commands/html-report.js");
    const result = await writeHtmlReport(
      {
        ...c.read,
        filters: c.filters,
        from: c.argv.from as string | undefined,
        output: c.argv.output as string,
        title: c.argv.title as string,
      },
      c.tuning,
    );
    if (result.scan !== undefined) c.summarize(result.scan);
    c.say(`wrote the HTML report to ${result.path}`);
    return EXIT.ok;
  },
};
