import type { CliCommand } from "./command.js";

// yargs words its errors for the program's author ("Not enough arguments following: o",
// "Arguments from and input are mutually exclusive") and spreads some over several lines, which
// the CLI would show escaped. Each known template is said here as a user needs it, on one line,
// naming flags as they are typed.

/** A flag as typed from its yargs name: `o` is `-o`, `output` is `--output`. */
export const dash = (name: string) => (name.length === 1 ? `-${name}` : `--${name}`);

type Rewrite = (match: RegExpExecArray, command: CliCommand | undefined) => string | undefined;

const REWRITES: readonly [RegExp, Rewrite][] = [
  [/^Not enough arguments following: (\S+)$/, (m) => `${dash(m[1] as string)} needs a value`],
  [
    /^Missing required arguments?: ([^\n]+)(?:\n([\s\S]*))?$/,
    (m) => {
      const flags = (m[1] as string).split(", ").map(dash).join(", ");
      return m[2] === undefined ? `missing ${flags}` : `missing ${flags}: ${m[2].trim()}`;
    },
  ],
  [
    /^Invalid values:\n([\s\S]*)$/,
    (m) =>
      (m[1] as string)
        .split("\n")
        .map((line) => /^\s*Argument: (\S+), Given: (.*), Choices: (.*)$/.exec(line))
        .filter((parts) => parts !== null)
        .map((parts) => `${dash(parts[1] as string)} ${parts[2]} is not one of ${parts[3]}`)
        .join("; ") || undefined,
  ],
  [
    /^Arguments (\S+) and (\S+) are mutually exclusive$/,
    (m) => {
      const [a, b] = [dash(m[1] as string), dash(m[2] as string)];
      return a === "--from"
        ? `${a} and ${b} are mutually exclusive (--from shows a saved report and reads no input); give one of them`
        : `${a} and ${b} are mutually exclusive; give one of them`;
    },
  ],
  [
    /^Not enough non-option arguments: /,
    (_m, command) =>
      command?.usage === undefined
        ? "missing argument"
        : `missing argument: telemetry-exporter ${command.usage}`,
  ],
];

/** A usage error from yargs, reworded for the user on one line; unknown wordings keep theirs. */
export function plainUsage(message: string, command?: CliCommand): string {
  for (const [pattern, rewrite] of REWRITES) {
    const match = pattern.exec(message);
    const said = match === null ? undefined : rewrite(match, command);
    if (said !== undefined) return said;
  }
  return message
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .join("; ");
}
