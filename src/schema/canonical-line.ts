import { CHANNEL_PATTERN, EVENT_NAME_MAX_LENGTH } from "./event-schema.js";
import { isCanonicalTimestamp } from "./timestamp.js";

/** The fields of a line that is a valid event in canonical form, found without parsing it. */
export interface CanonicalLine {
  readonly channel: string;
  readonly event: string;
  readonly timestamp: string;
  /** Where the payload's JSON text starts and ends (exclusive) in the line. */
  readonly payloadStart: number;
  readonly payloadEnd: number;
}

const PREFIX = '{"schema_version":"telemetry_event_v1","channel":"';
const AFTER_CHANNEL = '","event":"';
const AFTER_EVENT = '","timestamp":"';
const AFTER_TIMESTAMP = '","payload":';
// Deeper payloads are rare: leave them to the parser (which allows up to 1000 levels).
const MAX_SCAN_DEPTH = 64;
const INTEGER_KEY = /^(?:0|[1-9]\d{0,9})$/;

// Thrown to abandon the scan: the line may still be valid, the parser decides.
const DEFER = Symbol("defer");

/**
 * Reads JSON values and accepts only text that JSON.stringify would produce for the value it
 * denotes: no whitespace, canonical number forms, only the escapes stringify writes, and object
 * keys in the order V8 keeps them (no integer-like keys, no duplicates).
 */
class CanonicalJsonReader {
  constructor(private readonly text: string) {}

  value(i: number, depth: number): number {
    const c = this.text.charCodeAt(i);
    if (c === 0x22) return this.string(i);
    if (c === 0x7b) return this.object(i, depth);
    if (c === 0x5b) return this.array(i, depth);
    if (c === 0x74) return this.literal(i, "true");
    if (c === 0x66) return this.literal(i, "false");
    if (c === 0x6e) return this.literal(i, "null");
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number(i);
    throw DEFER;
  }

  object(i: number, depth: number): number {
    if (depth > MAX_SCAN_DEPTH) throw DEFER;
    const text = this.text;
    let at = i + 1;
    if (text.charCodeAt(at) === 0x7d) return at + 1;
    const keys: string[] = [];
    for (;;) {
      if (text.charCodeAt(at) !== 0x22) throw DEFER;
      const end = this.string(at);
      const key = text.slice(at + 1, end - 1);
      // V8 moves integer-like keys first, and a repeated key keeps one value: neither round-trips.
      if (INTEGER_KEY.test(key) || keys.includes(key)) throw DEFER;
      keys.push(key);
      if (text.charCodeAt(end) !== 0x3a) throw DEFER;
      at = this.value(end + 1, depth + 1);
      const c = text.charCodeAt(at);
      if (c === 0x7d) return at + 1;
      if (c !== 0x2c) throw DEFER;
      at++;
    }
  }

  array(i: number, depth: number): number {
    if (depth > MAX_SCAN_DEPTH) throw DEFER;
    let at = i + 1;
    if (this.text.charCodeAt(at) === 0x5d) return at + 1;
    for (;;) {
      at = this.value(at, depth + 1);
      const c = this.text.charCodeAt(at);
      if (c === 0x5d) return at + 1;
      if (c !== 0x2c) throw DEFER;
      at++;
    }
  }

  // Returns the index after the closing quote.
  string(i: number): number {
    const text = this.text;
    for (let at = i + 1; at < text.length; at++) {
      const c = text.charCodeAt(at);
      if (c === 0x22) return at + 1;
      if (c < 0x20) throw DEFER;
      if (c === 0x5c) {
        // stringify writes \" \\ \b \f \n \r \t; \u and \/ may mean the same text another way.
        const e = text.charCodeAt(++at);
        if (
          e !== 0x22 &&
          e !== 0x5c &&
          e !== 0x62 &&
          e !== 0x66 &&
          e !== 0x6e &&
          e !== 0x72 &&
          e !== 0x74
        )
          throw DEFER;
      }
    }
    throw DEFER;
  }

  literal(i: number, word: string): number {
    if (!this.text.startsWith(word, i)) throw DEFER;
    return i + word.length;
  }

  number(i: number): number {
    const text = this.text;
    let at = i;
    if (text.charCodeAt(at) === 0x2d) at++;
    let integer = true;
    for (; at < text.length; at++) {
      const c = text.charCodeAt(at);
      if (c >= 0x30 && c <= 0x39) continue;
      if (c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d) {
        integer = false;
        continue;
      }
      break;
    }
    const literal = text.slice(i, at);
    // Short integers are canonical when they have no leading zero and are not -0.
    if (integer && at - i <= 15) {
      const first = literal.charCodeAt(literal[0] === "-" ? 1 : 0);
      if (
        literal === "-0" ||
        literal === "-" ||
        (first === 0x30 && literal.length > (literal[0] === "-" ? 2 : 1))
      )
        throw DEFER;
      return at;
    }
    // Anything else must print back to itself (this also refuses overflow to Infinity).
    if (String(Number(literal)) !== literal) throw DEFER;
    return at;
  }
}

function isChannelText(value: string): boolean {
  return value.length <= 64 && CHANNEL_PATTERN.test(value);
}

function isEventText(value: string): boolean {
  if (value.length === 0 || value.length > EVENT_NAME_MAX_LENGTH) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x5c) return false;
  }
  return true;
}

/**
 * The fields of `line` when it is exactly what `JSON.stringify` writes for a valid
 * `telemetry_event_v1` event in canonical form (as the Tracker writes it), else `undefined`:
 * then the line must be parsed, and may still be valid. `line` must be decoded from valid UTF-8
 * (so it holds no lone surrogates). A differential property test holds this to the parser.
 */
export function scanCanonicalLine(line: string): CanonicalLine | undefined {
  if (!line.startsWith(PREFIX) || line.charCodeAt(line.length - 1) !== 0x7d) return undefined;
  const channelEnd = line.indexOf('"', PREFIX.length);
  if (channelEnd === -1) return undefined;
  const channel = line.slice(PREFIX.length, channelEnd);
  if (!isChannelText(channel) || !line.startsWith(AFTER_CHANNEL, channelEnd)) return undefined;
  const eventStart = channelEnd + AFTER_CHANNEL.length;
  const eventEnd = line.indexOf('"', eventStart);
  if (eventEnd === -1) return undefined;
  const event = line.slice(eventStart, eventEnd);
  if (!isEventText(event) || !line.startsWith(AFTER_EVENT, eventEnd)) return undefined;
  const tsStart = eventEnd + AFTER_EVENT.length;
  const tsEnd = line.indexOf('"', tsStart);
  if (tsEnd === -1) return undefined;
  const timestamp = line.slice(tsStart, tsEnd);
  if (!isCanonicalTimestamp(timestamp) || !line.startsWith(AFTER_TIMESTAMP, tsEnd))
    return undefined;
  const payloadStart = tsEnd + AFTER_TIMESTAMP.length;
  if (line.charCodeAt(payloadStart) !== 0x7b) return undefined;
  try {
    const payloadEnd = new CanonicalJsonReader(line).object(payloadStart, 1);
    if (payloadEnd !== line.length - 1) return undefined;
    return { channel, event, timestamp, payloadStart, payloadEnd };
  } catch (error) {
    if (error === DEFER) return undefined;
    throw error;
  }
}
