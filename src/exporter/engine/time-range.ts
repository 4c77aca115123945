import { formatParts, timestampParts } from "../../schema/timestamp-parts.js";

/**
 * The earliest and latest timestamps seen, kept as numbers so that no string is made per event.
 * Of equal instants written with different numbers of fraction digits, the first seen is kept.
 */
export class TimeRange {
  private empty = true;
  private firstDay = 0;
  // NaN while empty: doubles from the start (see LineTimestamp.nanos in src/schema).
  private firstNanos = Number.NaN;
  private firstDigits = 0;
  private lastDay = 0;
  private lastNanos = Number.NaN;
  private lastDigits = 0;

  /** Adds a timestamp given as parts (see `TimestampParts`). */
  add(day: number, nanos: number, digits: number): void {
    if (this.empty) {
      this.empty = false;
      this.firstDay = this.lastDay = day;
      this.firstNanos = this.lastNanos = nanos;
      this.firstDigits = this.lastDigits = digits;
      return;
    }
    if (day < this.firstDay || (day === this.firstDay && nanos < this.firstNanos)) {
      this.firstDay = day;
      this.firstNanos = nanos;
      this.firstDigits = digits;
    }
    if (day > this.lastDay || (day === this.lastDay && nanos > this.lastNanos)) {
      this.lastDay = day;
      this.lastNanos = nanos;
      this.lastDigits = digits;
    }
  }

  /** Adds a canonical timestamp string. */
  addText(canonical: string): void {
    const { day, nanos, digits } = timestampParts(canonical);
    this.add(day, nanos, digits);
  }

  get first(): string | null {
    return this.empty ? null : formatParts(this.firstDay, this.firstNanos, this.firstDigits);
  }

  get last(): string | null {
    return this.empty ? null : formatParts(this.lastDay, this.lastNanos, this.lastDigits);
  }
}
