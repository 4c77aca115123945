// yargs gives a repeatable flag with no value (`-i` last, `-i --strict`) an empty list, or its
// default, without a word: `export -i -o x.json` would read reports/telemetry instead of failing.
// yargs' `requiresArg` is not applied to array flags, so the raw arguments are checked here.

const LIST_FLAGS: ReadonlyMap<string, string> = new Map([
  ["-i", "-i"],
  ["--input", "--input"],
  ["--channel", "--channel"],
  ["--event", "--event"],
]);

/** The first repeatable flag given without a value (as typed), if any. */
export function listFlagWithoutValue(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") return undefined;
    const flag = LIST_FLAGS.get(arg);
    if (flag === undefined) continue;
    const next = args[i + 1];
    if (next === undefined || (next.startsWith("-") && next !== "-")) return flag;
  }
  return undefined;
}
