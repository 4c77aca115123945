import { DEFAULT_ROW_GROUP_SIZE } from "../contracts.js";
import { plural } from "../report/present/format.js";
import type { CliCommand } from "./command.js";
import { EXIT } from "./exit-codes.js";

/** `compact <dataset>`: merges the small part files of a shared dataset. */
export const compactCommand: CliCommand = {
  name: "compact",
  usage: "compact <dataset>",
  describe: "Merge the small part files of a shared dataset (exports with --writer), atomically",
  flags: (y) =>
    y
      .positional("dataset", {
        type: "string",
        describe: "The dataset directory (the --output of the exports)",
      })
      .option("row-group-size", {
        requiresArg: true,
        type: "number",
        default: DEFAULT_ROW_GROUP_SIZE,
        describe: "Rows per merged file (one row group); files this large already are kept",
      })
      .option("quiet", { alias: "q", type: "boolean", default: false, describe: "No summary" })
      .example("$0 compact /mnt/telemetry/events", ""),
  async run(c) {
    const { compactDataset } = await import("../commands/compact.js");
    const dataset = c.argv.dataset as string;
    const result = await compactDataset({
      dataset,
      rowGroupSize: c.argv["row-group-size"] as number,
    });
    if (!c.quiet) {
      const skipped =
        result.skipped === 0
          ? ""
          : `; ${result.skipped} left for later (their writer replaced files meanwhile)`;
      c.say(
        `compacted ${plural(result.filesBefore, "part file")} into ${result.filesAfter} in ${plural(result.partitions, "partition")} of ${dataset} (${plural(result.rows, "row")})${skipped}`,
      );
    }
    return EXIT.ok;
  },
};
