import type { CliCommand } from "./command.js";
import { EXIT } from "./exit-codes.js";
import { readFlags } from "./shared-flags.js";

/** `validate`: checks every record; exit 3 when any is invalid. */
export const validateCommand: CliCommand = {
  name: "validate",
  describe: "Check every record; exit 3 when any is invalid",
  flags: (y) => readFlags(y),
  async run(c) {
    const { validateEvents } = await import("../commands/validate.js");
    const { scan, ok } = await validateEvents(c.read, c.tuning);
    c.summarize(scan);
    if (ok) {
      c.say(`all ${scan.totals.valid} records are valid`);
      return EXIT.ok;
    }
    const invalidRecords =
      scan.totals.invalid > 0 || (scan.diagnostics.byCode.invalid_gzip ?? 0) > 0;
    return invalidRecords ? EXIT.invalidRecords : EXIT.failure;
  },
};
