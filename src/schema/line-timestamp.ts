import { daysInMonth } from "./timestamp.js";
import { dayFromEpochDays, epochDays, POW10 } from "./timestamp-parts.js";

const MINUTES_PER_DAY = 1440;

// The two-digit number at `at`, or -1 when either byte is not a digit.
function pair(buf: Uint8Array, at: number): number {
  const hi = (buf[at] as number) - 0x30;
  const lo = (buf[at + 1] as number) - 0x30;
  if (hi < 0 || hi > 9 || lo < 0 || lo > 9) return -1;
  return hi * 10 + lo;
}

/**
 * Reads, from UTF-8 bytes, the date-times other producers write and the schema accepts, as the
 * parts of the canonical UTC timestamp the schema normalises them to (`normalizeTimestamp`):
 * `YYYY-MM-DDTHH:MM:SS`, 0 to 9 fraction digits after a `.`, then `Z` or `±HH:MM` (Python's
 * `isoformat()`, Go's `RFC3339Nano`, JavaScript's `toISOString()`). Other spellings the schema
 * takes (a space or `t`, no seconds, `,`, `±HHMM`, no zone) are left to the parser. A
 * differential property test holds it to `normalizeTimestamp`.
 */
export class LineTimestamp {
  /** The UTC day as the number YYYYMMDD. */
  day = 0;
  /**
   * Nanoseconds since the start of the UTC day. NaN until a timestamp is read: a double from
   * the start (most values are), as a field that changes from integer to double makes V8 throw
   * away the code it optimized for the object.
   */
  nanos = Number.NaN;
  /** Fraction digits of the canonical form: 3, 6 or 9. */
  digits = 0;
  /**
   * Where the timestamp read starts, when its first `20 + digits` bytes are those of the
   * canonical form (a UTC time with 3, 6 or 9 fraction digits): the canonical text is then
   * those bytes and a `Z`. Otherwise -1.
   */
  verbatimAt = -1;
  private lastValidDay = -1;

  /** Reads the timestamp at `at`, ending before `end`; returns where it ends, or -1. */
  read(buf: Uint8Array, at: number, end: number): number {
    if (at + 20 > end) return -1;
    if (buf[at + 4] !== 0x2d || buf[at + 7] !== 0x2d || buf[at + 10] !== 0x54) return -1;
    if (buf[at + 13] !== 0x3a || buf[at + 16] !== 0x3a) return -1;
    const century = pair(buf, at);
    const yy = pair(buf, at + 2);
    const month = pair(buf, at + 5);
    const dom = pair(buf, at + 8);
    const hour = pair(buf, at + 11);
    const minute = pair(buf, at + 14);
    const second = pair(buf, at + 17);
    if ((century | yy | month | dom | hour | minute | second) < 0) return -1;
    if (hour > 23 || minute > 59 || second > 59) return -1;
    const year = century * 100 + yy;
    let date = year * 10_000 + month * 100 + dom;
    if (date !== this.lastValidDay) {
      if (dom < 1 || dom > daysInMonth(year, month)) return -1;
      this.lastValidDay = date;
    }
    let k = at + 19;
    let fraction = 0;
    let written = 0;
    if (buf[k] === 0x2e) {
      k++;
      const limit = Math.min(k + 10, end);
      const first = k;
      for (; k < limit; k++) {
        const v = (buf[k] as number) - 0x30;
        if (v < 0 || v > 9) break;
        fraction = fraction * 10 + v;
      }
      written = k - first;
      if (written === 0 || written > 9) return -1;
    }
    const digits = written <= 3 ? 3 : written <= 6 ? 6 : 9;
    const zoneless = hour * 60 + minute;
    let minutes = zoneless;
    const zone = buf[k];
    if (zone === 0x5a) k++;
    else if (zone === 0x2b || zone === 0x2d) {
      if (k + 6 > end || buf[k + 3] !== 0x3a) return -1;
      const oh = pair(buf, k + 1);
      const om = pair(buf, k + 4);
      if (oh < 0 || om < 0 || oh > 23 || om > 59) return -1;
      minutes -= (zone === 0x2b ? 1 : -1) * (oh * 60 + om);
      k += 6;
    } else return -1;
    if (minutes < 0 || minutes >= MINUTES_PER_DAY) {
      // The offset moves the instant to the day before or after.
      const shift = minutes < 0 ? -1 : 1;
      date = dayFromEpochDays(epochDays(date) + shift);
      minutes -= shift * MINUTES_PER_DAY;
      if (date < 0 || date >= 100_000_000) return -1; // outside years 0000 to 9999
    }
    this.day = date;
    this.digits = digits;
    this.verbatimAt = minutes === zoneless && written === digits ? at : -1;
    this.nanos = (minutes * 60 + second) * 1e9 + fraction * (POW10[9 - written] as number);
    return k;
  }
}
