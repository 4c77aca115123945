import type { Argv } from "yargs";
import { closestName } from "../../errors/did-you-mean.js";
import type { CliCommand } from "./command.js";
import { COMMANDS, commandNamed } from "./command-table.js";
import { dash, plainUsage } from "./yargs-message.js";

const GLOBAL_FLAGS = ["help", "h", "version"];

/** The command a mistyped word most likely meant, if one is close. */
export function suggestCommand(word: string): string | undefined {
  return closestName(
    word,
    COMMANDS.map((c) => c.name),
  );
}

/**
 * The flag names (long names and aliases) a command declares, read by running its flag builder
 * against a recorder rather than yargs: yargs only knows a command's flags while it runs it.
 */
export function flagNamesOf(command: CliCommand): string[] {
  const names: string[] = [...GLOBAL_FLAGS];
  const recorder: Argv = new Proxy({} as Argv, {
    get(_target, property) {
      return (...args: unknown[]) => {
        if (property === "option" && typeof args[0] === "string") {
          names.push(args[0]);
          const alias = (args[1] as { alias?: string | string[] } | undefined)?.alias;
          if (alias !== undefined) names.push(...(Array.isArray(alias) ? alias : [alias]));
        }
        return recorder;
      };
    },
  });
  command.flags(recorder);
  return names;
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function describeFlag(name: string, command: CliCommand, known: readonly string[]): string {
  const guess = closestName(
    name,
    known.filter((k) => k.length > 1),
  );
  if (guess !== undefined && guess !== name) return `${dash(name)} (did you mean ${dash(guess)}?)`;
  const owners = COMMANDS.filter((c) => c !== command && flagNamesOf(c).includes(name));
  if (owners.length === 0) return dash(name);
  return `${dash(name)} (a flag of ${owners.map((c) => c.name).join(", ")}, not of ${command.name})`;
}

/**
 * The message of a usage error yargs reported, said the way a user needs it: an unknown command
 * alone (not the flags after it), an unknown flag once (yargs names `--a-b` as `a-b, aB`), each
 * with its closest known name.
 */
export function usageMessage(args: readonly string[], yargsMessage: string): string {
  const first = args[0];
  if (first === undefined || first.startsWith("-")) return plainUsage(yargsMessage);
  const command = commandNamed(first);
  if (command === undefined) {
    const guess = suggestCommand(first);
    const hint = guess === undefined ? "" : ` (did you mean ${guess}?)`;
    return `unknown command ${JSON.stringify(first)}${hint}`;
  }
  const listed = /^Unknown arguments?: (.*)$/.exec(yargsMessage)?.[1];
  if (listed === undefined) return plainUsage(yargsMessage, command);
  const unknown = new Set(listed.split(", ").map(kebab));
  const flags = new Set(
    args.filter((a) => a.startsWith("-")).map((a) => a.replace(/^--?/, "").replace(/=.*$/s, "")),
  );
  // yargs reads `--no-x` as "x set to false" and reports it as `x`.
  for (const name of unknown) {
    if (!flags.has(name) && flags.has(`no-${name}`)) {
      unknown.delete(name);
      unknown.add(`no-${name}`);
    }
  }
  const known = flagNamesOf(command);
  const unknownFlags = [...unknown].filter((name) => flags.has(name));
  const others = [...unknown].filter((name) => !flags.has(name));
  const parts = unknownFlags.map((name) => describeFlag(name, command, known));
  parts.push(...others);
  const noun = others.length === 0 ? "flag" : "argument";
  return `unknown ${noun}${parts.length > 1 ? "s" : ""} for ${command.name}: ${parts.join(", ")}`;
}
