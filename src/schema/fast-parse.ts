import {
  CHANNEL_PATTERN,
  EVENT_NAME_MAX_LENGTH,
  SCHEMA_VERSION_V1,
  type TelemetryEvent,
} from "./event-schema.js";
import { isWellFormedText, MAX_PAYLOAD_DEPTH } from "./json-shape.js";
import { setOwn } from "./own-property.js";
import { isCanonicalTimestamp, normalizeTimestamp, timestampHasZone } from "./timestamp.js";

// The common shape (the five core fields, a timestamp with a zone, a plain JSON payload, and
// other top-level fields that are plain JSON, as producers add them) is checked here without zod; anything else returns undefined and goes to the zod schema, which
// stays the authority. A differential property test keeps the two in agreement.

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_CHARS = /[\x00-\x1f\x7f-\x9f]/;
const CORE_KEYS = new Set(["schema_version", "channel", "event", "timestamp", "payload"]);
const CACHE_LIMIT = 10_000;
const knownChannels = new Set<string>();
const knownEventNames = new Set<string>();

function remember(cache: Set<string>, value: string): void {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.add(value);
}

function isChannel(value: unknown): value is string {
  if (typeof value !== "string") return false;
  if (knownChannels.has(value)) return true;
  if (!CHANNEL_PATTERN.test(value)) return false;
  remember(knownChannels, value);
  return true;
}

function isEventName(value: unknown): value is string {
  if (typeof value !== "string") return false;
  if (knownEventNames.has(value)) return true;
  if (value.length === 0 || value.length > EVENT_NAME_MAX_LENGTH) return false;
  if (CONTROL_CHARS.test(value) || !isWellFormedText(value)) return false;
  remember(knownEventNames, value);
  return true;
}

function isPlainRecord(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

// Recursion is bounded: it stops (returns false) past MAX_PAYLOAD_DEPTH.
function isPlainJson(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case "string":
      return isWellFormedText(value);
    case "number":
      return Number.isFinite(value);
    case "boolean":
      return true;
    case "object": {
      if (value === null) return true;
      if (depth >= MAX_PAYLOAD_DEPTH) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!isPlainJson(value[i], depth + 1)) return false;
        return true;
      }
      if (!isPlainRecord(value)) return false;
      for (const key in value) {
        if (!Object.hasOwn(value, key) || !isWellFormedText(key)) return false;
        if (!isPlainJson((value as Record<string, unknown>)[key], depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

// A number literal JSON.parse turns into Infinity needs an exponent of 3+ digits or 309+ digits.
const BIG_EXPONENT = /\d[eE][+-]?\d{3}/;
const MANY_DIGITS = /\d{309}/;
// Nesting deeper than MAX_PAYLOAD_DEPTH takes more than twice as many brackets.
const SHALLOW_TEXT = 2 * (MAX_PAYLOAD_DEPTH + 1);

// Nor without more opening brackets than MAX_PAYLOAD_DEPTH + 1 (the event's own object
// included; brackets inside strings only make the count safer). Counted with indexOf, which
// skips the text between them natively: long lines of a few brackets need no walk.
function hasFewBrackets(text: string): boolean {
  let count = 0;
  for (const bracket of ["{", "["]) {
    for (let at = text.indexOf(bracket); at !== -1; at = text.indexOf(bracket, at + 1)) {
      if (++count > MAX_PAYLOAD_DEPTH + 1) return false;
    }
  }
  return true;
}

/**
 * True when `text` (a line that is valid UTF-8) cannot parse to a payload this schema refuses
 * for its content: no `\u` escapes (the only way to a lone surrogate), no number that overflows,
 * and too short, or with too few brackets, to nest too deep. Then the payload needs no walk.
 */
export function isPlainJsonText(text: string): boolean {
  return (
    (text.length < SHALLOW_TEXT || hasFewBrackets(text)) &&
    !text.includes("\\u") &&
    !BIG_EXPONENT.test(text) &&
    (text.length < 309 || !MANY_DIGITS.test(text))
  );
}

// The timestamp in canonical UTC form, as the schema normalises it; undefined when invalid or
// without a zone (the schema warns about those: its path says so).
function utcTimestamp(text: string): string | undefined {
  if (isCanonicalTimestamp(text)) return text;
  const canonical = normalizeTimestamp(text);
  return canonical !== undefined && timestampHasZone(text) ? canonical : undefined;
}

/**
 * The canonical event when `value` has the common shape, else `undefined` (not necessarily
 * invalid: ask the zod schema). Returns `value` itself when its keys are already in canonical
 * order, so the common case allocates nothing. `plainText` says `value` is JSON.parse's result
 * for a text that passed {@link isPlainJsonText}, so the content of its payload and other fields
 * needs no check.
 */
export function fastParseEvent(value: unknown, plainText = false): TelemetryEvent | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  let count = 0;
  let ordered = true;
  for (const key in record) {
    switch (count++) {
      case 0:
        ordered &&= key === "schema_version";
        break;
      case 1:
        ordered &&= key === "channel";
        break;
      case 2:
        ordered &&= key === "event";
        break;
      case 3:
        ordered &&= key === "timestamp";
        break;
      case 4:
        ordered &&= key === "payload";
        break;
      // Other top-level fields (kept after the core ones) are checked below. Index-like keys
      // come first in enumeration order, so `ordered` is false with them.
    }
  }
  if (count < 5 || !isPlainRecord(record)) return undefined;
  const { schema_version, channel, event, timestamp, payload } = record;
  if (schema_version !== SCHEMA_VERSION_V1 || !isChannel(channel) || !isEventName(event))
    return undefined;
  if (typeof timestamp !== "string") return undefined;
  const canonical = utcTimestamp(timestamp);
  if (canonical === undefined) return undefined;
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return undefined;
  if (!plainText && !isPlainJson(payload, 1)) return undefined;
  // Only JSON is taken here: the schema lets any value through in other fields. Their keys are
  // text too (the schema's shape check refuses a lone surrogate in one).
  if (count > 5 && !plainText) {
    for (const key in record) {
      if (CORE_KEYS.has(key)) continue;
      if (!isWellFormedText(key) || !isPlainJson(record[key], 1)) return undefined;
    }
  }
  if (ordered && canonical === timestamp) return record as TelemetryEvent;
  const result: Record<string, unknown> = {
    schema_version,
    channel,
    event,
    timestamp: canonical,
    payload,
  };
  if (count > 5)
    for (const key in record) if (!CORE_KEYS.has(key)) setOwn(result, key, record[key]);
  return result as TelemetryEvent;
}
