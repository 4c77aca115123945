import { TelemetryError } from "../errors/index.js";
import { formatEpochMillis, normalizeTimestamp } from "../schema/index.js";
import { describeError } from "./describe-error.js";
import { invalidTimestamp } from "./input-errors.js";

/** When an event happened: a `Date`, epoch milliseconds, or an ISO 8601 string. */
export type TimestampInput = Date | number | string;

/**
 * The canonical UTC timestamp of `options.timestamp`, or of `clock()` when none is given.
 * Throws `invalid_timestamp`, also when reading the value throws (the error is the cause).
 */
export function resolveTimestamp(
  options: { readonly timestamp?: TimestampInput } | undefined,
  clock: () => number,
): string {
  let input: TimestampInput | undefined;
  let canonical: string | undefined;
  try {
    input = options?.timestamp;
    if (input === undefined) canonical = formatEpochMillis(clock());
    else if (typeof input === "string") canonical = normalizeTimestamp(input);
    else if (typeof input === "number") canonical = formatEpochMillis(input);
    else if (input instanceof Date) canonical = formatEpochMillis(input.getTime());
  } catch (cause) {
    // A Proxy, or a Date whose own code throws, or a throwing clock.
    throw new TelemetryError(
      "invalid_timestamp",
      `timestamp could not be read (${describeError(cause)})`,
      { cause },
    );
  }
  if (canonical === undefined) invalidTimestamp(input);
  return canonical;
}
