// yargs gives a repeatable flag with no value (`-i` last, `-i --strict`) an empty list, or its
// default, without a word: `export -i -o x.json` would read reports/telemetry instead of failing.
// yargs' `requiresArg` is not applied to array flags, so the raw arguments are checked here.

const LIST_FLAGS: ReadonlyMap<string, string> = new Map([
  ["-i", "-i"],
  ["--input", "--input"],
  ["--channel", "--channel"],
  ["--event", "--event"],
]);

const INPUT_FLAGS = new Set(["-i", "--input"]);

/**
 * What is wrong with the first repeatable flag given without a value (as typed), or with `-`
 * as an input (yargs reports a lone `-` as an unknown argument), if anything.
 */
export function listFlagProblem(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") return undefined;
    const flag = LIST_FLAGS.get(arg);
    if (flag === undefined) continue;
    const next = args[i + 1];
    if (next === "-" && INPUT_FLAGS.has(arg)) {
      return `${flag} -: standard input is not read; give files or directories (save a pipe to a file first)`;
    }
    if (next === undefined || (next.startsWith("-") && next !== "-"))
      return `${flag} needs a value`;
  }
  return undefined;
}
