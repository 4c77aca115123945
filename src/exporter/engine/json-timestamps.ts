// The JSON export's timestamp rule: at most microseconds (6 fraction digits). DuckDB's
// read_json_auto types a column with 3- and 6-digit fractions as TIMESTAMP but any 9-digit one
// (nanoseconds) as VARCHAR, for the whole column; pandas and Python's datetime hold microseconds
// too. So nanosecond digits are cut, as the Parquet export cuts them, and the rest is written in
// the canonical form (3 or 6 digits, the fewest that hold them). The JSON Lines export keeps
// every digit: it is byte-identical to the lines the Tracker wrote.

/** Offset of the first fraction digit in a canonical timestamp (`YYYY-MM-DDTHH:MM:SS.`). */
export const FRACTION_AT = 20;

const ZERO = 0x30;

/**
 * Where the digits to keep of a canonical timestamp with a 9-digit fraction end, relative to
 * its start: after the microseconds, or after the milliseconds when the microseconds are zero.
 */
export function microsEnd(bytes: Uint8Array, timestampStart: number): number {
  const micros = timestampStart + FRACTION_AT + 3;
  const zero = bytes[micros] === ZERO && bytes[micros + 1] === ZERO && bytes[micros + 2] === ZERO;
  return zero ? micros : micros + 3;
}

/** A canonical timestamp cut to microseconds, in canonical form; shorter ones unchanged. */
export function microsTimestamp(canonical: string): string {
  if (canonical.length !== FRACTION_AT + 10) return canonical;
  const micros = canonical.slice(FRACTION_AT + 3, FRACTION_AT + 6);
  return `${canonical.slice(0, FRACTION_AT + (micros === "000" ? 3 : 6))}Z`;
}

const PREFIX = '{"schema_version":';

// Where the top-level key `"timestamp"` of an event's JSON text starts, found at depth 1 (an
// earlier field's value may hold the same text).
function topLevelTimestampAt(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const start = i;
      for (i++; text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
      if (depth === 1 && text.startsWith('"timestamp":', start)) return start;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return -1;
}

/**
 * An event's JSON text (JSON.stringify's, or its exact texts') with its timestamp `ts` written
 * as `micros`. The core fields come first, and the channel and event name are escaped, so the
 * first match is the field; unless JSON.stringify wrote index-like keys ("7") of other fields
 * before them, whose values may hold the same text.
 */
export function withTimestamp(text: string, ts: string, micros: string): string {
  const field = `"timestamp":"${ts}"`;
  const at = text.startsWith(PREFIX) ? text.indexOf(field) : topLevelTimestampAt(text);
  return `${text.slice(0, at)}"timestamp":"${micros}"${text.slice(at + field.length)}`;
}
