import type { Argv } from "yargs";
import { TelemetryError } from "../../errors/index.js";
import {
  DEFAULT_INPUTS,
  DEFAULT_LOCK_WAIT_MS,
  DEFAULT_MAX_LINE_BYTES,
  MAX_WORKERS,
} from "../contracts.js";

const INPUT_HELP = "Directory (its *.jsonl and *.jsonl.gz files), file, or glob; repeatable";

/** Flags every reading command takes. */
export function readFlags(y: Argv, inputDefault = true) {
  return y
    .option("input", {
      alias: "i",
      type: "string",
      array: true,
      // yargs counts a default as given, so commands with --from apply the default themselves.
      ...(inputDefault ? { default: [...DEFAULT_INPUTS] } : {}),
      describe: inputDefault ? INPUT_HELP : `${INPUT_HELP} [default: ${DEFAULT_INPUTS.join(" ")}]`,
    })
    .option("strict", {
      type: "boolean",
      default: false,
      describe: "Stop at the first invalid line, missing input or unreadable file; write no output",
    })
    .option("max-line-bytes", {
      requiresArg: true,
      type: "number",
      default: DEFAULT_MAX_LINE_BYTES,
      describe: "Longest line read; longer lines are reported as line_too_long",
    })
    .option("workers", {
      requiresArg: true,
      // A string, checked by the command: yargs turns "abc" into NaN and "" into 0.
      type: "string",
      describe: `Worker threads for large inputs, 0 to ${MAX_WORKERS}; 0 reads in one thread (default: one per core, at most 4)`,
    })
    .option("diagnostics", {
      type: "string",
      requiresArg: true,
      describe: "Write every diagnostic as JSON Lines to this file",
    })
    .option("quiet", {
      alias: "q",
      type: "boolean",
      default: false,
      describe: "No summary or progress on stderr",
    });
}

/** Filter flags of the commands that produce data. */
export function filterFlags(y: Argv) {
  return y
    .option("channel", {
      type: "string",
      array: true,
      describe: "Keep only these channels; repeatable",
    })
    .option("event", {
      type: "string",
      array: true,
      describe: "Keep only these event names; repeatable",
    })
    .option("since", {
      requiresArg: true,
      type: "string",
      describe: "Keep events at or after this UTC date or date-time",
    })
    .option("until", {
      type: "string",
      requiresArg: true,
      describe: "Keep events before this UTC date or date-time",
    });
}

/** `--from`, for the commands that can show a saved aggregate report instead of reading inputs. */
export function fromFlag(y: Argv) {
  return y
    .option("from", {
      requiresArg: true,
      type: "string",
      describe: "Use this aggregate report (from aggregate or etl) instead of reading inputs",
    })
    .conflicts("from", ["input", "channel", "event", "since", "until", "diagnostics"]);
}

/** `--incremental`, with what it means for the command. */
export function incrementalFlag(describe: string) {
  return { type: "boolean", default: false, describe } as const;
}

/** `--lock-wait`, for the commands that hold a lock on their output. */
export const LOCK_WAIT_FLAG = {
  // A string, checked below: yargs turns "" into 0 (fail at once) and "abc" into NaN.
  type: "string",
  requiresArg: true,
  default: DEFAULT_LOCK_WAIT_MS / 1000,
  describe: "Seconds to wait for another run writing the same output to finish; 0 fails at once",
} as const;

/**
 * `--lock-wait` is in seconds, a fraction too (`0.5`); the API takes whole milliseconds. What is
 * not a number of seconds, 0 or more ("", "-1", "abc"), is refused here, in the flag's own unit:
 * the API's rule ("a whole number" of milliseconds) would misstate it.
 */
export function lockWaitMs(argv: Record<string, unknown>): number | undefined {
  const given = argv["lock-wait"];
  if (given === undefined) return undefined;
  // A number as yargs would read it (`1.5`, `1e1`), but never an empty value.
  const seconds = typeof given === "string" && given.trim() !== "" ? Number(given) : given;
  const ms = typeof seconds === "number" && seconds >= 0 ? Math.round(seconds * 1000) : Number.NaN;
  if (!Number.isSafeInteger(ms)) {
    throw new TelemetryError(
      "usage",
      `--lock-wait must be a number of seconds, 0 or more (got ${JSON.stringify(given)})`,
      { path: ["lockWaitMs"] },
    );
  }
  return ms;
}

/** `--full`, the same for every incremental command. */
export const FULL_FLAG = {
  type: "boolean",
  default: false,
  describe: "With --incremental: ignore the saved state and read everything again",
} as const;
