import { describeValue } from "../errors/describe-value.js";
import { closestName } from "../errors/did-you-mean.js";
import { type Issue, TelemetryError, type TelemetryErrorCode } from "../errors/index.js";
import { CHANNEL_PATTERN } from "../schema/index.js";
import { timestampStringProblem } from "../schema/timestamp-problem.js";

// The errors record() throws for bad arguments: each names the argument in its issue's path.

function fail(code: TelemetryErrorCode, path: Issue["path"], why: string, message: string): never {
  throw new TelemetryError(code, message, { issues: [{ code, path, message: why }] });
}

/**
 * `invalid_payload`: JSON.stringify threw on the copied payload (a RangeError), so the line
 * could not be written as the event record() would return.
 */
export function unserializablePayload(): never {
  const why =
    "JSON.stringify failed on it here: nested deeper than the stack left at this call allows, or longer than a string can be";
  return fail("invalid_payload", ["payload"], why, `payload could not be serialized: ${why}`);
}

/** `invalid_payload`: the stack ran out while the event was checked and copied. */
export function outOfStack(cause: RangeError): never {
  const why = `the stack ran out while the event was checked (${cause.message})`;
  throw new TelemetryError("invalid_payload", `event not recorded: ${why}`, {
    cause,
    issues: [{ code: "invalid_payload", path: ["payload"], message: why }],
  });
}

/** `invalid_timestamp`: a date-time string without a zone (local time or UTC?). */
export function zonelessTimestamp(input: string): never {
  const why =
    "no zone: add Z for UTC or an offset such as +02:00, or pass a Date (local time and UTC are hours apart)";
  return fail(
    "invalid_timestamp",
    ["timestamp"],
    why,
    `invalid timestamp ${JSON.stringify(input)}: ${why}`,
  );
}

/** `invalid_channel`: the channel breaks the channel rule. */
export function invalidChannel(channel: unknown): never {
  const why = `expected a channel matching ${CHANNEL_PATTERN.source}, got ${describeValue(channel)}`;
  return fail("invalid_channel", ["channel"], why, `invalid channel: ${why}`);
}

/** `invalid_event`: the event name breaks a rule (`why` names it). */
export function invalidEvent(event: unknown, why: string): never {
  return fail(
    "invalid_event",
    ["event"],
    why,
    `invalid event name: ${why}, got ${describeValue(event)}`,
  );
}

/** `invalid_timestamp`, saying which rule failed: not a date-time, impossible, out of range. */
export function invalidTimestamp(input: unknown): never {
  let why: string;
  try {
    why = timestampRule(input);
  } catch {
    // A value whose getters or traps throw the second time it is read.
    why = `expected a Date, epoch milliseconds or an ISO 8601 string, got ${describeValue(input)}`;
  }
  const shown = typeof input === "string" ? ` ${JSON.stringify(input.slice(0, 80))}` : "";
  return fail("invalid_timestamp", ["timestamp"], why, `invalid timestamp${shown}: ${why}`);
}

function timestampRule(input: unknown): string {
  if (typeof input === "string") return timestampStringProblem(input)?.message ?? "not a date-time";
  if (typeof input === "number" || input instanceof Date) {
    const ms = typeof input === "number" ? input : input.getTime();
    if (Number.isFinite(ms)) {
      return "year out of range: epoch milliseconds must stay within years 0000-9999";
    }
    return input instanceof Date
      ? "not a date-time: an invalid Date"
      : `not a date-time: epoch milliseconds must be finite, got ${describeValue(input)}`;
  }
  return `expected a Date, epoch milliseconds or an ISO 8601 string, got ${describeValue(input)}`;
}

/** `unknown_event`: the channel, or the event in that channel, is not in the catalogue. */
export function unknownEvent(
  catalog: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
  channel: string,
  event: string,
): never {
  const events = Object.hasOwn(catalog, channel) ? catalog[channel] : undefined;
  const [path, known] =
    events === undefined ? [["channel"], Object.keys(catalog)] : [["event"], Object.keys(events)];
  const near = closestName(path[0] === "channel" ? channel : event, known);
  const hint = near === undefined ? "" : `; did you mean ${near}?`;
  // Names quoted back are bounded: a hostile caller's megabyte name must not become the message.
  const why = `${channel.slice(0, 200)}/${event.slice(0, 200)} is not in the catalog${hint}`;
  return fail("unknown_event", path, why, `unknown event: ${why}`);
}
