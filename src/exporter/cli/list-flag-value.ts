// yargs gives a repeatable flag with no value (`-i` last, `-i --strict`) an empty list, or its
// default, without a word: `export -i -o x.json` would read reports/telemetry instead of failing.
// yargs' `requiresArg` is not applied to array flags, so the raw arguments are checked here.

const LIST_FLAGS: ReadonlySet<string> = new Set(["-i", "--input", "--channel", "--event"]);

const INPUT_FLAGS = new Set(["-i", "--input"]);

/**
 * What is wrong with the first repeatable flag given without a value (as typed), or with `-`
 * as an input (yargs reports a lone `-` as an unknown argument), if anything.
 */
export function listFlagProblem(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") return undefined;
    if (!LIST_FLAGS.has(arg)) continue;
    const next = args[i + 1];
    if (next === "-" && INPUT_FLAGS.has(arg)) {
      return `${arg} -: standard input is not read; give files or directories (save a pipe to a file first)`;
    }
    if (next === undefined || (next.startsWith("-") && next !== "-")) return `${arg} needs a value`;
  }
  return undefined;
}
