// Each command imports only what it needs, when it runs: the start-up of a command that hands
// its reading to worker threads is on the critical path, and the validators (zod) are not needed
// in this thread then.
import type { IncrementalOutcome, ScanResult } from "../contracts.js";
import type { EventFilters } from "../model/filters.js";
import type { Args, CommandContext } from "./command.js";
import { commandNamed } from "./command-table.js";
import { EXIT } from "./exit-codes.js";
import { cliMessage } from "./flag-names.js";
import { progressReporter } from "./progress.js";
import { formatSummary } from "./scan-summary.js";
import type { CliIO, Palette } from "./terminal.js";

function describeIncremental(outcome: IncrementalOutcome): string {
  const mb = (n: number) => `${(n / 1e6).toFixed(n < 1e6 ? 3 : 1)} MB`;
  const read = `read ${mb(outcome.bytesRead)} of ${mb(outcome.bytesTotal)}`;
  return outcome.mode === "incremental"
    ? `incremental: ${read} (what was appended since the last run)`
    : `incremental: full run (${cliMessage(outcome.reason ?? "no state")}); ${read}`;
}

/** Runs one parsed command; throws on failure (main() turns that into an exit code). */
export async function runCommand(
  command: string,
  argv: Args,
  filters: EventFilters,
  io: CliIO,
  palette: Palette,
): Promise<number> {
  const cli = commandNamed(command);
  if (cli === undefined) return EXIT.usage;
  const quiet = argv.quiet === true;
  const progress = progressReporter(io, quiet);
  const context: CommandContext = {
    argv,
    io,
    quiet,
    read: {
      inputs: argv.input as string[],
      strict: argv.strict === true,
      maxLineBytes: argv["max-line-bytes"] as number,
      onProgress: progress.update,
      diagnosticsFile: argv.diagnostics as string | undefined,
    },
    filters,
    tuning: { workers: argv.workers as number | undefined },
    say: (text) => io.stdout.write(`${text}\n`),
    summarize: (scan: ScanResult) => {
      progress.done();
      if (!quiet) io.stderr.write(formatSummary(scan, palette));
    },
    progressDone: progress.done,
    noteIncremental: (outcome) => {
      if (outcome !== undefined && !quiet) io.stderr.write(`${describeIncremental(outcome)}\n`);
    },
  };
  try {
    return await cli.run(context);
  } finally {
    progress.done();
  }
}
