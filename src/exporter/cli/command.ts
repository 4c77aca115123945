import type { Argv } from "yargs";
import type { IncrementalOutcome, ScanOptions, ScanResult } from "../contracts.js";
import type { EventFilters } from "../model/filters.js";
import type { EngineTuning } from "../plan/run-plan.js";
import type { CliIO } from "./terminal.js";

/** Parsed arguments, as yargs gives them. */
export type Args = Record<string, unknown>;

/** What a command's run gets: its arguments, the read options of the shared flags, and output. */
export interface CommandContext {
  readonly argv: Args;
  readonly io: CliIO;
  readonly quiet: boolean;
  /** From the read flags (without filters: not every command takes them). */
  readonly read: ScanOptions;
  readonly filters: EventFilters;
  readonly tuning: EngineTuning;
  /** Prints a line on stdout. */
  say(text: string): void;
  /** Ends the progress line and prints the scan summary on stderr (unless quiet). */
  summarize(scan: ScanResult): void;
  /** Ends the progress line. */
  progressDone(): void;
  /**
   * Says on stderr what an incremental run read (unless quiet) and, quiet or not, the events it
   * lost: dropped from the outputs, or never read.
   */
  noteIncremental(outcome: IncrementalOutcome | undefined): void;
}

/** One command of `telemetry-exporter`: its flags and its run, together. */
export interface CliCommand {
  readonly name: string;
  /** The command with its positional arguments (`compact <dataset>`); default: the name. */
  readonly usage?: string;
  readonly describe: string;
  flags(y: Argv): Argv;
  /** Runs the command; throws on failure (main() turns that into an exit code). */
  run(context: CommandContext): Promise<number>;
}
