import yargs, { type Argv } from "yargs";
import { COMMANDS } from "./command-table.js";
import { EXIT_CODES_HELP } from "./exit-codes.js";

interface UsageInternals {
  getInternalMethods(): { getUsageInstance(): { cacheHelpMessage(): void } };
}

// yargs renders the whole help text whenever it runs a command, to have it ready should the
// command's handler fail (about a tenth of a run's start-up, wrapping and measuring every
// line). Our handlers do nothing, and main() reports failures itself: asked for, help is
// rendered as before.
function skipHelpCache(parser: Argv): void {
  const usage = (parser as unknown as UsageInternals).getInternalMethods().getUsageInstance();
  usage.cacheHelpMessage = () => undefined;
}

/** The yargs parser of `telemetry-exporter`, with no handlers: main() dispatches. */
export function buildParser(version: string, width: number | null = 100): Argv {
  let parser = yargs()
    .scriptName("telemetry-exporter")
    .usage("$0 <command> [options]\n\nExport and aggregate telemetry_event_v1 JSON Lines.");
  for (const command of COMMANDS) {
    // Every command's help ends with the exit codes, as the docs promise.
    parser = parser.command(command.usage ?? command.name, command.describe, (y) =>
      command.flags(y).epilogue(EXIT_CODES_HELP),
    );
  }
  const names = COMMANDS.map((c) => c.name);
  skipHelpCache(parser);
  return parser
    .demandCommand(1, `give a command: ${names.slice(0, -1).join(", ")} or ${names.at(-1)}`)
    .recommendCommands()
    .strict()
    .showHelpOnFail(false)
    .version(version)
    .help()
    .alias("help", "h")
    .epilogue(EXIT_CODES_HELP)
    .wrap(width)
    .exitProcess(false);
}
