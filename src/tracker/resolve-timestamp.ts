import { TelemetryError } from "../errors/index.js";
import { formatEpochMillis, normalizeTimestamp, timestampHasZone } from "../schema/index.js";
import { describeError } from "./describe-error.js";
import { invalidTimestamp, zonelessTimestamp } from "./input-errors.js";

/** When an event happened: a `Date`, epoch milliseconds, or an ISO 8601 string. */
export type TimestampInput = Date | number | string;

/**
 * The canonical UTC timestamp of `options.timestamp`, or of `clock()` when none is given.
 * Throws `invalid_timestamp`, also when reading the value throws (the error is the cause), and
 * for a string without a zone.
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
  // Readers take a date-time without a zone as UTC, JavaScript's Date as local time: where it is
  // made, the producer can say which it meant; written as UTC, it was hours off without a word.
  if (typeof input === "string" && !timestampHasZone(input)) zonelessTimestamp(input);
  return canonical;
}
