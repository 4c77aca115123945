import { DEFAULT_AGGREGATE_OUTPUT } from "../contracts.js";
import type { CliCommand } from "./command.js";
import { EXIT } from "./exit-codes.js";
import { filterFlags, readFlags } from "./shared-flags.js";

/** `aggregate`: the aggregate report, as JSON. */
export const aggregateCommand: CliCommand = {
  name: "aggregate",
  describe: "Write counts per channel, event and UTC day with the input inventory",
  flags: (y) =>
    filterFlags(readFlags(y)).option("output", {
      alias: "o",
      type: "string",
      requiresArg: true,
      default: DEFAULT_AGGREGATE_OUTPUT,
      describe: "Report file (written atomically)",
    }),
  async run(c) {
    const { aggregateEvents } = await import("../commands/aggregate.js");
    const output = c.argv.output as string;
    const { scan } = await aggregateEvents({ ...c.read, filters: c.filters, output }, c.tuning);
    c.summarize(scan);
    c.say(`wrote aggregates of ${scan.totals.valid} events to ${output}`);
    return EXIT.ok;
  },
};
