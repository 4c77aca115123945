// A canonical timestamp as numbers, which is how the line scanner reads it: no string is made
// for the timestamp of a line unless an output needs its text.

/** A canonical timestamp as numbers. */
export interface TimestampParts {
  /** The UTC day as the number YYYYMMDD. */
  readonly day: number;
  /** Nanoseconds since the start of the day. */
  readonly nanos: number;
  /** Fraction digits written: 3, 6 or 9. */
  readonly digits: number;
}

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** The `YYYY-MM-DD` text of a day given as YYYYMMDD. */
export function formatDay(day: number): string {
  const year = Math.floor(day / 10_000);
  return `${String(year).padStart(4, "0")}-${two(Math.floor(day / 100) % 100)}-${two(day % 100)}`;
}

/** The canonical text of a timestamp given as parts. */
export function formatParts(day: number, nanos: number, digits: number): string {
  const seconds = Math.floor(nanos / 1e9);
  const fraction = String(nanos - seconds * 1e9)
    .padStart(9, "0")
    .slice(0, digits);
  const time = `${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
  return `${formatDay(day)}T${time}.${fraction}Z`;
}

/** The parts of a canonical timestamp string (one that passed validation). */
export function timestampParts(canonical: string): TimestampParts {
  const num = (from: number, to: number) => Number(canonical.slice(from, to));
  const digits = canonical.length - 21;
  const seconds = num(11, 13) * 3600 + num(14, 16) * 60 + num(17, 19);
  return {
    day: num(0, 4) * 10_000 + num(5, 7) * 100 + num(8, 10),
    nanos: seconds * 1e9 + num(20, 20 + digits) * 10 ** (9 - digits),
    digits,
  };
}

// Days from 1970-01-01 to a proleptic Gregorian date (counting in 400-year eras, which repeat).
function daysFromCivil(year: number, month: number, dom: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + dom - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Microseconds since the epoch (digits past microseconds are cut), as Parquet stores them. */
export function partsToEpochMicros(day: number, nanos: number): bigint {
  const micros = partsToEpochMicrosValue(day, nanos);
  return typeof micros === "bigint" ? micros : BigInt(micros);
}

/**
 * The same microseconds as a number where that is exact (within about 285 years of 1970), a
 * BigInt beyond: the common case allocates no BigInt.
 */
export function partsToEpochMicrosValue(day: number, nanos: number): number | bigint {
  const days = daysFromCivil(Math.floor(day / 10_000), Math.floor(day / 100) % 100, day % 100);
  const micros = Math.floor(nanos / 1000);
  const total = days * 86_400_000_000 + micros;
  return Number.isSafeInteger(total) ? total : BigInt(days) * 86_400_000_000n + BigInt(micros);
}

/** The day (YYYYMMDD) `days` days from 1970-01-01: the inverse of the count above. */
export function dayFromEpochDays(days: number): number {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const dom = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return year * 10_000 + month * 100 + dom;
}

/** Days from 1970-01-01 to the day YYYYMMDD. */
export function epochDays(day: number): number {
  return daysFromCivil(Math.floor(day / 10_000), Math.floor(day / 100) % 100, day % 100);
}

// `value`: a non-negative integer below 2^31 (every part of a timestamp is), so the digits are
// taken in integer arithmetic (a double's `%` costs a library call per digit).
function digitsAt(out: Uint8Array, at: number, value: number, width: number): void {
  let v = value | 0;
  for (let k = width - 1; k >= 0; k--) {
    out[at + k] = 0x30 + (v % 10);
    v = (v / 10) | 0;
  }
}

/** 10^k for k from 0 to 9 (a table: `10 ** k` with a variable k is a library call). */
export const POW10: readonly number[] = [
  1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1e9,
];

/** Writes the canonical text of a timestamp given as parts into `out` at `at`; returns its end. */
export function writeParts(
  out: Uint8Array,
  at: number,
  day: number,
  nanos: number,
  digits: number,
): number {
  digitsAt(out, at, Math.floor(day / 10_000), 4);
  out[at + 4] = 0x2d;
  digitsAt(out, at + 5, Math.floor(day / 100) % 100, 2);
  out[at + 7] = 0x2d;
  digitsAt(out, at + 8, day % 100, 2);
  out[at + 10] = 0x54;
  const seconds = Math.floor(nanos / 1e9) | 0; // below 86,400
  digitsAt(out, at + 11, (seconds / 3600) | 0, 2);
  out[at + 13] = 0x3a;
  digitsAt(out, at + 14, ((seconds / 60) | 0) % 60, 2);
  out[at + 16] = 0x3a;
  digitsAt(out, at + 17, seconds % 60, 2);
  out[at + 19] = 0x2e;
  const fraction = (nanos - seconds * 1e9) | 0; // below 10^9
  digitsAt(out, at + 20, (fraction / (POW10[9 - digits] as number)) | 0, digits);
  out[at + 20 + digits] = 0x5a;
  return at + 21 + digits;
}
