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
  const days = daysFromCivil(Math.floor(day / 10_000), Math.floor(day / 100) % 100, day % 100);
  const micros = Math.floor(nanos / 1000);
  const total = days * 86_400_000_000 + micros;
  // Exact as a double within about 285 years of 1970; beyond that, in BigInt arithmetic.
  return Number.isSafeInteger(total)
    ? BigInt(total)
    : BigInt(days) * 86_400_000_000n + BigInt(micros);
}
