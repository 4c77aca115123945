import type { Argv } from "yargs";
import type { CliCommand } from "../../src/exporter/cli/command.js";

/** A flag's yargs configuration, as far as the tests read it. */
export interface FlagConfig {
  readonly type?: string;
  readonly array?: boolean;
  readonly requiresArg?: boolean;
  readonly default?: unknown;
  readonly demandOption?: unknown;
  readonly describe?: string;
}

/** The flags a command declares, with their configuration, read through a recorder. */
export function declaredFlags(command: CliCommand): Map<string, FlagConfig> {
  const flags = new Map<string, FlagConfig>();
  const recorder: Argv = new Proxy({} as Argv, {
    get(_target, property) {
      return (...args: unknown[]) => {
        if (property === "option" && typeof args[0] === "string") {
          flags.set(args[0], (args[1] ?? {}) as FlagConfig);
        }
        return recorder;
      };
    },
  });
  command.flags(recorder);
  return flags;
}
