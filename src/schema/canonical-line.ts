import { CHANNEL_PATTERN, EVENT_NAME_MAX_LENGTH } from "./constants.js";
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
const MAX_SCAN_KEYS = 64;

// Raw control characters are invalid inside JSON strings (and never appear between tokens of a
// canonical line): one native scan of the line rules them out.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_CHAR = /[\x00-\x1f]/;

// Thrown to abandon the scan: the line may still be valid, the parser decides.
const DEFER = Symbol("defer");

/**
 * Reads JSON values and accepts only text that JSON.stringify would produce for the value it
 * denotes: no whitespace, canonical number forms, only the escapes stringify writes, and object
 * keys in the order V8 keeps them (no integer-like keys, no duplicates).
 */
class CanonicalJsonReader {
  private nextEscape: number;

  constructor(
    private readonly text: string,
    from: number,
  ) {
    this.nextEscape = text.indexOf("\\", from);
  }

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
    // Key positions (start inside the quotes, length), compared in place: no strings made.
    const starts: number[] = [];
    const lengths: number[] = [];
    for (;;) {
      if (text.charCodeAt(at) !== 0x22) throw DEFER;
      const end = this.string(at);
      const start = at + 1;
      const length = end - 1 - start;
      // The in-place duplicate check is quadratic: wide objects go to the parser instead.
      if (starts.length >= MAX_SCAN_KEYS) throw DEFER;
      // V8 moves integer-like keys first, and a repeated key keeps one value: neither round-trips.
      if (this.isIntegerLike(start, length) || this.seen(starts, lengths, start, length))
        throw DEFER;
      starts.push(start);
      lengths.push(length);
      if (text.charCodeAt(end) !== 0x3a) throw DEFER;
      at = this.value(end + 1, depth + 1);
      const c = text.charCodeAt(at);
      if (c === 0x7d) return at + 1;
      if (c !== 0x2c) throw DEFER;
      at++;
    }
  }

  private isIntegerLike(start: number, length: number): boolean {
    if (length === 0 || length > 10) return false;
    for (let k = start; k < start + length; k++) {
      const c = this.text.charCodeAt(k);
      if (c < 0x30 || c > 0x39) return false;
    }
    return length === 1 || this.text.charCodeAt(start) !== 0x30;
  }

  private seen(starts: number[], lengths: number[], start: number, length: number): boolean {
    const text = this.text;
    for (let k = 0; k < starts.length; k++) {
      if (lengths[k] !== length) continue;
      const other = starts[k] as number;
      let same = true;
      for (let m = 0; m < length && same; m++)
        same = text.charCodeAt(other + m) === text.charCodeAt(start + m);
      if (same) return true;
    }
    return false;
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

  // Returns the index after the closing quote. Raw control characters were ruled out for the
  // whole line up front, so the scan jumps from quote to quote and only looks at escapes.
  string(i: number): number {
    const text = this.text;
    let at = i + 1;
    for (;;) {
      const quote = text.indexOf('"', at);
      if (quote === -1) throw DEFER;
      if (this.nextEscape === -1 || this.nextEscape > quote) return quote + 1;
      const slash = this.nextEscape;
      // stringify writes \" \\ \b \f \n \r \t; \u and \/ may mean the same text another way.
      const e = text.charCodeAt(slash + 1);
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
      at = slash + 2;
      this.nextEscape = text.indexOf("\\", at);
    }
  }

  literal(i: number, word: string): number {
    if (!this.text.startsWith(word, i)) throw DEFER;
    return i + word.length;
  }

  number(i: number): number {
    const text = this.text;
    let at = i;
    if (text.charCodeAt(at) === 0x2d) at++;
    const intStart = at;
    while (at < text.length && isDigit(text.charCodeAt(at))) at++;
    const intDigits = at - intStart;
    if (intDigits === 0 || (intDigits > 1 && text.charCodeAt(intStart) === 0x30)) throw DEFER;
    let fracDigits = 0;
    let leadingZeros = 0;
    if (text.charCodeAt(at) === 0x2e) {
      const fracStart = ++at;
      while (at < text.length && isDigit(text.charCodeAt(at))) at++;
      fracDigits = at - fracStart;
      if (fracDigits === 0 || text.charCodeAt(at - 1) === 0x30) throw DEFER;
      while (leadingZeros < fracDigits && text.charCodeAt(fracStart + leadingZeros) === 0x30)
        leadingZeros++;
    }
    const c = text.charCodeAt(at);
    const zeroInt = intDigits === 1 && text.charCodeAt(intStart) === 0x30;
    if (c !== 0x65 && c !== 0x45) {
      if (zeroInt && fracDigits === 0 && at - i === 2) throw DEFER; // "-0" prints as "0"
      // Up to 15 significant digits, and a size JS prints without an exponent, print back as
      // written (15 digits always round-trip through a double).
      const significant = zeroInt ? fracDigits - leadingZeros : intDigits + fracDigits;
      if (significant <= 15 && !(zeroInt && leadingZeros > 5)) return at;
    } else {
      at++;
      if (text.charCodeAt(at) === 0x2b || text.charCodeAt(at) === 0x2d) at++;
      const expStart = at;
      while (at < text.length && isDigit(text.charCodeAt(at))) at++;
      if (at === expStart) throw DEFER;
    }
    // Anything else must print back to itself (this also refuses overflow to Infinity).
    const literal = text.slice(i, at);
    if (String(Number(literal)) !== literal) throw DEFER;
    return at;
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
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
    if (CONTROL_CHAR.test(line)) return undefined;
    const payloadEnd = new CanonicalJsonReader(line, payloadStart).object(payloadStart, 1);
    if (payloadEnd !== line.length - 1) return undefined;
    return { channel, event, timestamp, payloadStart, payloadEnd };
  } catch (error) {
    if (error === DEFER) return undefined;
    throw error;
  }
}
