import type { CliCommand } from "./command.js";
import { EXIT } from "./exit-codes.js";
import { readFlags } from "./shared-flags.js";
import { validateFailure } from "./validate-failure.js";

/** `validate`: checks every record; exit 3 when any is invalid (see validate-failure.ts). */
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
    throw validateFailure(scan);
  },
};
