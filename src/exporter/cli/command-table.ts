import { aggregateCommand } from "./aggregate-command.js";
import type { CliCommand } from "./command.js";
import { compactCommand } from "./compact-command.js";
import { etlCommand } from "./etl-command.js";
import { exportCommand } from "./export-command.js";
import { reportCommand } from "./report-command.js";
import { summaryCommand } from "./summary-command.js";
import { validateCommand } from "./validate-command.js";

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly CliCommand[] = [
  exportCommand,
  aggregateCommand,
  validateCommand,
  summaryCommand,
  reportCommand,
  etlCommand,
  compactCommand,
];

/** The command named `name`, if there is one. */
export function commandNamed(name: string): CliCommand | undefined {
  return COMMANDS.find((command) => command.name === name);
}
