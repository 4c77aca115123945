// Accepts RFC 3339 / ISO 8601 extended date-times: `T`, `t` or a space between date and time,
// optional seconds, up to 9 fraction digits (`.` or `,`), and `Z`, `±HH`, `±HHMM` or `±HH:MM`.
const TIMESTAMP_RE =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

/** The pattern every accepted timestamp string matches (range checks come on top). */
export const TIMESTAMP_PATTERN = TIMESTAMP_RE.source;

// The same forms with every range in the pattern, for the JSON Schema, whose validators in
// other languages have only the pattern: months 01-12, the days each month has (29 February
// in leap years only), hours 00-23, minutes and seconds 00-59 (no leap second), offsets up to
// ±23:59. `[0-9]`, not `\d`, which Python's `re` reads as any Unicode digit. Only the year
// range after the offset (0000-01-01 before UTC, 9999-12-31 after it) is left to the parser.
const LEAP_YEAR = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)";
const DATE =
  "(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))" +
  `|${LEAP_YEAR}-02-29)`;
const TIME = "(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:[.,][0-9]{1,9})?)?";
const ZONE = "(?:[Zz]|[+-](?:[01][0-9]|2[0-3])(?::?[0-5][0-9])?)?";

/**
 * The pattern of the JSON Schema: exactly the strings {@link normalizeTimestamp} accepts, but
 * for the year range after the offset (a differential property test holds it to that).
 */
export const TIMESTAMP_SCHEMA_PATTERN = `^${DATE}[Tt ]${TIME}${ZONE}$`;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * Days in `month` (1-12) of `year` (proleptic Gregorian); 0 for a month that does not exist.
 * The leap-year rule is written out rather than called: the scanners' compiled code meets
 * February only now and then, and a call it had never seen made V8 throw that code away and
 * compile it again.
 */
export function daysInMonth(year: number, month: number): number {
  if (month !== 2) return DAYS_IN_MONTH[month - 1] ?? 0;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

function offsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === "Z" || zone === "z") return 0;
  const sign = zone[0] === "-" ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 23 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes);
}

function fractionWidth(digits: number): number {
  if (digits <= 3) return 3;
  return digits <= 6 ? 6 : 9;
}

/**
 * Normalises a date-time string to the canonical UTC form, or returns `undefined` when it is not
 * a real date-time.
 *
 * Canonical form: `YYYY-MM-DDTHH:MM:SS.fffZ`, with 3, 6 or 9 fraction digits (the fewest that
 * hold every digit given), so no precision in the input is lost. A string without a zone is
 * read as UTC.
 */
export function normalizeTimestamp(text: string): string | undefined {
  if (isCanonicalTimestamp(text)) return text;
  const m = TIMESTAMP_RE.exec(text);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const fraction = m[7] ?? "";
  const offset = offsetMinutes(m[8]);
  if (offset === undefined) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const padded = fraction.padEnd(fractionWidth(fraction.length), "0");
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute - offset, second, Number(padded.slice(0, 3)));
  const utcYear = date.getUTCFullYear();
  // An offset can push 0000-01-01 or 9999-12-31 outside the four-digit years the form allows.
  if (utcYear < 0 || utcYear > 9999) return undefined;
  return `${date.toISOString().slice(0, 23)}${padded.slice(3)}Z`;
}

// Valid date prefixes (YYYY-MM-DD) seen so far: telemetry covers few days, so this saves the
// calendar arithmetic on almost every event. Bounded.
const validDays = new Set<string>();

/** True when `text` is already a valid timestamp in the canonical form. */
let lastDay = "";

export function isCanonicalTimestamp(text: string): boolean {
  if (!hasCanonicalShape(text)) return false;
  // Consecutive events mostly share a day: check that first, without slicing.
  if (!(lastDay !== "" && text.startsWith(lastDay))) {
    const day = text.slice(0, 10);
    if (!validDays.has(day)) {
      if (!isValidCanonical(text)) return false;
      if (validDays.size >= 10_000) validDays.clear();
      validDays.add(day);
    }
    lastDay = day;
  }
  // Digits are known from the shape: compare the tens digit and the pair by char codes.
  const h = (text.charCodeAt(11) - 48) * 10 + text.charCodeAt(12) - 48;
  return h <= 23 && text.charCodeAt(14) <= 53 && text.charCodeAt(17) <= 53;
}

// Already canonical, the shape the Tracker writes: YYYY-MM-DDTHH:MM:SS.fff[fff[fff]]Z, checked by
// char codes (several times faster than a regular expression on the hot path).
function hasCanonicalShape(text: string): boolean {
  const n = text.length;
  if ((n !== 24 && n !== 27 && n !== 30) || text.charCodeAt(n - 1) !== 90) return false;
  for (let i = 0; i < n - 1; i++) {
    const c = text.charCodeAt(i);
    switch (i) {
      case 4:
      case 7:
        if (c !== 45) return false;
        break;
      case 10:
        if (c !== 84) return false;
        break;
      case 13:
      case 16:
        if (c !== 58) return false;
        break;
      case 19:
        if (c !== 46) return false;
        break;
      default:
        if (c < 48 || c > 57) return false;
    }
  }
  return true;
}

function isValidCanonical(text: string): boolean {
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    Number(text.slice(11, 13)) <= 23 &&
    Number(text.slice(14, 16)) <= 59 &&
    Number(text.slice(17, 19)) <= 59
  );
}

/** True when the date-time string names its zone (`Z` or a numeric offset). */
export function timestampHasZone(text: string): boolean {
  const last = text[text.length - 1];
  if (last === "Z" || last === "z") return true;
  return TIMESTAMP_RE.exec(text)?.[8] !== undefined;
}

/** Formats epoch milliseconds in the canonical form, or returns `undefined` when out of range. */
// Events recorded in a burst share their millisecond: remember the last one formatted.
let lastMillis = Number.NaN;
let lastFormatted = "";

// Years 0000 to 9999 in epoch milliseconds.
const MIN_MILLIS = -62_167_219_200_000;
const MAX_MILLIS = 253_402_300_799_999;

export function formatEpochMillis(ms: number): string | undefined {
  if (ms === lastMillis) return lastFormatted;
  if (!(ms >= MIN_MILLIS && ms <= MAX_MILLIS)) return undefined;
  lastFormatted = new Date(ms).toISOString();
  lastMillis = ms;
  return lastFormatted;
}

/** Microseconds since the epoch for a canonical timestamp (digits past microseconds are cut). */
export function canonicalToEpochMicros(canonical: string): bigint {
  const millis = Date.parse(`${canonical.slice(0, 23)}Z`);
  const micros = canonical.length > 24 ? Number(canonical.slice(23, 26)) : 0;
  return BigInt(millis) * 1000n + BigInt(micros);
}

/** The UTC day (`YYYY-MM-DD`) of a canonical timestamp. */
export function utcDay(canonical: string): string {
  return canonical.slice(0, 10);
}

/** A key that sorts canonical timestamps by instant, whatever their number of fraction digits. */
export function timestampSortKey(canonical: string): string {
  return canonical.slice(0, 19) + canonical.slice(20, -1).padEnd(9, "0");
}

/** Orders two canonical timestamps by instant (negative, zero or positive), allocation-free in the common case. */
export function compareTimestamps(a: string, b: string): number {
  if (a.length === b.length) return a < b ? -1 : a > b ? 1 : 0;
  const ka = timestampSortKey(a);
  const kb = timestampSortKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
