import type { CanonicalScanner, LineHead } from "../../schema/canonical-scanner.js";
import { SCHEMA_VERSION_V1 } from "../../schema/constants.js";
import type { TelemetryEvent } from "../../schema/index.js";
import type { ExtraText } from "../../schema/loose-line-scanner.js";
import { canonicalToEpochMicros } from "../../schema/timestamp.js";
import { formatDay, formatParts, partsToEpochMicrosValue } from "../../schema/timestamp-parts.js";
import type { EventPredicate } from "../model/filters.js";
import { ColumnBuilder } from "./event-columns.js";
import { type ExactTexts, extraText } from "./exact-numbers.js";
import { FRACTION_AT, microsEnd, microsTimestamp, withTimestamp } from "./json-timestamps.js";
import type { SegmentTask } from "./segment.js";
import { SegmentCounts } from "./segment-counts.js";
import { type ComposedLine, TextOutput } from "./text-output.js";
import { TimeRange } from "./time-range.js";

/** What a byte scanner read of a line: its timestamp as parts and where its payload is. */
type ScannedLine = Pick<
  CanonicalScanner,
  "day" | "nanos" | "digits" | "timestampStart" | "payloadStart" | "payloadEnd"
>;

/** The fields of a valid event that filters and counts look at. */
type EventFields = Pick<TelemetryEvent, "channel" | "event" | "timestamp">;

// Where a head counted last, and for which day.
interface HeadSlot {
  day: number;
  at: number;
}

/**
 * What a segment's valid events add up to: tallies, time range, counts and outputs. Events come
 * either parsed (any valid line) or as a canonical line's bytes, which are counted and copied
 * without making a string (the common case, and the hot path).
 */
export class SegmentEvents {
  readonly range = new TimeRange();
  readonly counts: SegmentCounts | undefined;
  readonly columns: ColumnBuilder | undefined;
  readonly text: TextOutput | undefined;
  valid = 0;
  filtered = 0;
  private readonly slots = new Map<LineHead, HeadSlot>();
  private readonly days = new Map<number, string>();
  private canonicalValid = 0;
  private readonly payload: { buffer: Uint8Array; start: number; end: number } = {
    buffer: new Uint8Array(0),
    start: 0,
    end: 0,
  };

  /** `spare`: memory for the text output (see {@link TextOutput}), or else for the columns. */
  constructor(
    task: SegmentTask,
    private readonly keep: EventPredicate | undefined,
    spare?: ArrayBufferLike,
  ) {
    const bytes = task.segment.end - task.segment.start;
    this.counts = task.want.counts ? new SegmentCounts() : undefined;
    const columnsSpare = task.want.text === undefined ? spare : undefined;
    this.columns = task.want.columns ? new ColumnBuilder(bytes, columnsSpare) : undefined;
    this.text =
      task.want.text === undefined ? undefined : new TextOutput(task.want.text, bytes, spare);
  }

  /**
   * Adds a parsed valid event; false when a filter leaves it out. `exact`: its texts when
   * serializing it would write a number otherwise than the line did.
   */
  addParsed(event: TelemetryEvent, exact?: ExactTexts): boolean {
    if (!this.kept(event)) return false;
    const ts = event.timestamp;
    this.range.addText(ts);
    this.counts?.addFields(event.schema_version, event.channel, event.event, ts);
    this.columns?.add(
      event.schema_version,
      event.channel,
      event.event,
      canonicalToEpochMicros(ts),
      exact?.payload ?? JSON.stringify(event.payload),
      exact === undefined ? extraText(event) : exact.extra,
    );
    if (this.text !== undefined) {
      const text = exact?.event ?? JSON.stringify(event);
      const micros = this.text.microseconds ? microsTimestamp(ts) : ts;
      this.text.addText(micros === ts ? text : withTimestamp(text, ts, micros));
    }
    return true;
  }

  /**
   * Adds the canonical line `buf[start, end)` that a scanner just read or wrote (`scanner`: what
   * it read, the payload's place being in `buf`); false when filtered out. `extra`: where the
   * text of the object of its other top-level fields is, if it has any.
   */
  addCanonical(
    head: LineHead,
    scanner: ScannedLine,
    buf: Uint8Array,
    start: number,
    end: number,
    extra?: ExtraText,
  ): boolean {
    if (!this.take(head, scanner)) return false;
    const { day, nanos, digits } = scanner;
    if (this.columns !== undefined) {
      const payload = this.payload;
      payload.buffer = buf;
      payload.start = scanner.payloadStart;
      payload.end = scanner.payloadEnd;
      const micros = partsToEpochMicrosValue(day, nanos);
      this.columns.add(SCHEMA_VERSION_V1, head.channel, head.event, micros, payload, extra);
    }
    if (digits === 9 && this.text?.microseconds === true) {
      const ts = scanner.timestampStart;
      this.text.addBytesCut(buf, start, end, microsEnd(buf, ts), ts + FRACTION_AT + 9);
    } else this.text?.addBytes(buf, start, end);
    return true;
  }

  /**
   * Adds a line a scanner took and writes itself into the text output (only text is wanted:
   * no columns); false when filtered out.
   */
  addComposed(head: LineHead, scanner: ScannedLine & ComposedLine): boolean {
    if (!this.take(head, scanner)) return false;
    this.text?.addLine(scanner);
    return true;
  }

  // Filters, counts and the time range of a line a scanner took; false when filtered out.
  private take(head: LineHead, scanner: ScannedLine): boolean {
    const { day, nanos, digits } = scanner;
    if (this.keep !== undefined) {
      const timestamp = formatParts(day, nanos, digits);
      if (!this.kept({ channel: head.channel, event: head.event, timestamp })) return false;
    } else this.valid++;
    this.canonicalValid++;
    this.range.add(day, nanos, digits);
    if (this.counts !== undefined) {
      let slot = this.slots.get(head);
      if (slot === undefined || slot.day !== day) {
        const at = this.counts.slot(head.channel, head.event, this.dayText(day));
        slot = { day, at };
        this.slots.set(head, slot);
      }
      this.counts.add(slot.at, 1);
    }
    return true;
  }

  /** Settles what is counted in bulk; call once, before reading the counts. */
  finish(): void {
    if (this.canonicalValid > 0) this.counts?.addVersion(SCHEMA_VERSION_V1, this.canonicalValid);
    this.canonicalValid = 0;
  }

  private kept(fields: EventFields): boolean {
    if (this.keep !== undefined && !this.keep(fields as TelemetryEvent)) {
      this.filtered++;
      return false;
    }
    this.valid++;
    return true;
  }

  private dayText(day: number): string {
    let text = this.days.get(day);
    if (text === undefined) {
      text = formatDay(day);
      this.days.set(day, text);
    }
    return text;
  }
}
