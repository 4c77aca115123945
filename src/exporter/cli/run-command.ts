// Each command imports only what it needs, when it runs: the start-up of a command that hands
// its reading to worker threads is on the critical path, and the validators (zod) are not needed
// in this thread then.
import type { IncrementalOutcome, ScanResult } from "../contracts.js";
import type { EventFilters } from "../model/filters.js";
import { invalidWorkers } from "../plan/check-workers.js";
import { revealUnsafe } from "../report/present/reveal-unsafe.js";
import { namedDescriptor } from "../sinks/named-descriptor.js";
import { formatBytes } from "./byte-size.js";
import type { Args, CommandContext } from "./command.js";
import { commandNamed } from "./command-table.js";
import { EXIT } from "./exit-codes.js";
import { cliMessage } from "./flag-names.js";
import { progressReporter } from "./progress.js";
import { formatQuietLosses, formatSummary } from "./scan-summary.js";
import type { CliIO, Palette } from "./terminal.js";

// Digits only: the API range-checks the number; anything else ("", "1e1", "0x10", "-1") is
// refused here, before yargs' number parsing could turn it into something else.
function workersOf(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string" && /^[0-9]{1,9}$/.test(value)) return Number(value);
  throw invalidWorkers(JSON.stringify(value));
}

/**
 * What an incremental run says on stderr: `losses` are the lines that say events left the outputs
 * or were never read (printed under --quiet too: a cron job's only trace of them), `info` the rest.
 */
function describeIncremental(outcome: IncrementalOutcome): { info: string[]; losses: string[] } {
  const read = `read ${formatBytes(outcome.bytesRead)} of ${formatBytes(outcome.bytesTotal)}`;
  const archived = outcome.archived ?? [];
  const folded = outcome.folded ?? [];
  const count = folded.reduce((n, f) => n + f.files, archived.length);
  if (outcome.mode === "incremental") {
    const kept = count === 0 ? "" : `; ${count} deleted file(s) kept as archived`;
    const torn = (outcome.unfinished ?? []).map(
      (f) =>
        `incremental: ${f.path} was deleted with its last line unfinished; never read: ${formatBytes(f.bytes)} after its last complete line`,
    );
    const gone = (outcome.overtaken ?? []).map(
      (f) =>
        `incremental: ${f.path} as the last run read it (${formatBytes(f.bytes)}) was rotated and deleted before this run; anything written to it after that, and any segment rotated and deleted with it, was never read (run more often than retention deletes, or keep more segments)`,
    );
    return {
      info: [`incremental: ${read} (what was appended since the last run)${kept}`],
      losses: [...torn, ...gone],
    };
  }
  const line = `incremental: full run (${cliMessage(outcome.reason ?? "no state")}); ${read}`;
  // A state there but unreadable: what it kept as archived cannot be named, and is gone.
  if (count === 0 && outcome.stateUnread === true) {
    const unknown = `incremental: the events of files the state kept as archived (deleted since it read them), if any, are no longer in the outputs`;
    return { info: [], losses: [line, unknown] };
  }
  if (count === 0) return { info: [line], losses: [] };
  // Their events were in the outputs only because the state remembered them.
  const names = [
    ...folded.map((f) => `${f.files} file(s) from ${f.first} to ${f.last}`),
    ...archived,
  ];
  return {
    info: [],
    losses: [
      line,
      `incremental: archived and now gone, no longer in the outputs: ${names.join(", ")}`,
    ],
  };
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
  // An output written to stdout by another name (`aggregate -o /dev/stdout | jq`,
  // `--diagnostics /dev/fd/1`): a "wrote …" line after it would corrupt the data.
  const dataOnStdout = [argv.output, argv.diagnostics].some(
    (path) => typeof path === "string" && path !== "-" && namedDescriptor(path) === 1,
  );
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
    tuning: { workers: workersOf(argv.workers) },
    // Lines name files, which are untrusted: control and bidi characters are shown escaped.
    say: (text) => {
      if (!dataOnStdout) io.stdout.write(`${revealUnsafe(text)}\n`);
    },
    summarize: (scan: ScanResult) => {
      progress.done();
      if (!quiet) io.stderr.write(formatSummary(scan, palette));
      else io.stderr.write(formatQuietLosses(scan));
    },
    progressDone: progress.done,
    noteIncremental: (outcome) => {
      if (outcome === undefined) return;
      const { info, losses } = describeIncremental(outcome);
      // Line by line: only the file names in them are untrusted, not the newline between them.
      for (const line of quiet ? losses : [...info, ...losses])
        io.stderr.write(`${revealUnsafe(line)}\n`);
    },
  };
  try {
    return await cli.run(context);
  } finally {
    progress.done();
  }
}
