import { TelemetryError } from "../../errors/index.js";
import { packageVersion } from "../../version.js";
import { revealUnsafe } from "../report/present/reveal-unsafe.js";
import { isClosedOutput } from "../sinks/output-sink.js";
import { EXIT, exitCodeFor } from "./exit-codes.js";
import { cliMessage } from "./flag-names.js";
import { cleanUpOnSignals } from "./interrupt.js";
import { listFlagProblem } from "./list-flag-value.js";
import { buildParser } from "./parser.js";
import { usageMessage } from "./suggest.js";
import type { CliIO } from "./terminal.js";
import { type Palette, paletteFor } from "./terminal.js";

export { tuneWorkerCompilation } from "./worker-compilation.js";

type Args = Record<string, unknown> & { _: (string | number)[] };

const defaultIO: CliIO = { stdout: process.stdout, stderr: process.stderr, env: process.env };

function parse(
  args: readonly string[],
): Promise<{ error: Error | undefined; argv: Args; output: string }> {
  // yargs renders the help text on every command run; unwrapped, that costs a few ms instead of
  // about 40, so the text is wrapped only when it will be shown.
  const help = args.some((a) => a === "--help" || a === "-h");
  const parser = buildParser(packageVersion(), help ? 100 : null);
  return new Promise((resolve) => {
    parser.parse([...args], {}, (error: Error | undefined, argv: unknown, output: string) => {
      resolve({ error: error ?? undefined, argv: argv as Args, output });
    });
  });
}

function filtersOf(argv: Args) {
  return {
    channels: argv.channel as string[] | undefined,
    events: argv.event as string[] | undefined,
    since: argv.since as string | undefined,
    until: argv.until as string | undefined,
  };
}

/**
 * Runs `telemetry-exporter` with `args` and returns the exit code. The only place that catches
 * errors and turns them into messages and exit codes.
 */
export async function main(args: readonly string[], io: CliIO = defaultIO): Promise<number> {
  const palette = paletteFor(io);
  // A reader that exits early (`| head`) closes stdout: Unix tools then stop quietly, so an
  // EPIPE ends the run with exit 0 and nothing on stderr, here or in a later write. Any other
  // failure to write it (a full disk, /dev/full) fails the run with a message, not a stack trace.
  let stdoutFailure: Error | undefined;
  let returned = false;
  io.stdout.on("error", (err) => {
    if (isClosedOutput(err)) return;
    if (returned) throw err;
    stdoutFailure ??= err;
  });
  const code = await run(args, io, palette);
  // A file's or terminal's write fails at once, its 'error' event comes on the next tick.
  await new Promise((resolve) => setImmediate(resolve));
  returned = true;
  // A run that failed has said why (an export to stdout names its failed write).
  if (stdoutFailure === undefined || code === EXIT.failure) return code;
  const reason = (stdoutFailure as NodeJS.ErrnoException).code ?? stdoutFailure.message;
  io.stderr.write(`${palette.red("error")}: writing standard output failed (${reason})\n`);
  return EXIT.failure;
}

async function run(args: readonly string[], io: CliIO, palette: Palette): Promise<number> {
  const { error, argv, output } = await parse(args);
  if (output !== "" && error === undefined) {
    io.stdout.write(`${output}\n`);
    return EXIT.ok;
  }
  // Before yargs' own error: it calls a lone `-` after -i an unknown argument.
  const problem = listFlagProblem(args);
  if (error !== undefined || problem !== undefined) {
    const message = problem ?? usageMessage(args, (error as Error).message);
    io.stderr.write(
      `${palette.red("error")}: ${revealUnsafe(message)}\nRun telemetry-exporter --help for usage.\n`,
    );
    return EXIT.usage;
  }
  const { runCommand } = await import("./run-command.js");
  const stopCleaningUp = cleanUpOnSignals();
  try {
    return await runCommand(String(argv._[0]), argv, filtersOf(argv), io, palette);
  } catch (err) {
    if (isClosedOutput(err)) return EXIT.ok;
    const message =
      err instanceof TelemetryError
        ? cliMessage(err.message)
        : err instanceof Error
          ? err.message
          : String(err);
    // Messages carry file names and excerpts of input: shown escaped, like every untrusted text.
    io.stderr.write(`${palette.red("error")}: ${revealUnsafe(message)}\n`);
    return exitCodeFor(err);
  } finally {
    stopCleaningUp();
  }
}
