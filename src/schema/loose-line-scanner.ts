import type { CanonicalJsonBytes } from "./canonical-json-bytes.js";
import { LineFields } from "./line-fields.js";
import { HASH_START, hashBytes, type LineHead, LineHeads } from "./line-heads.js";
import { writeParts } from "./timestamp-parts.js";

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const BEFORE_PAYLOAD = ascii('","payload":');

/**
 * What a scan writes of a line it takes. `"line"`: its canonical text (what `JSON.stringify`
 * writes for the event the parser makes of it), for text outputs. `"text"`: nothing yet; the
 * same text is written by {@link LooseLineScanner.writeLine} straight into a text output (one
 * copy of each line fewer). `"payload"`: the canonical payload alone, for Parquet columns, which
 * keep the other fields apart (and when the payload has no whitespace, nothing is written:
 * {@link LooseLineScanner.line} is then the scanned buffer itself). `"none"`: nothing, when
 * lines are only counted.
 */
export type LooseCompose = "line" | "text" | "payload" | "none";

/** Where some text's UTF-8 bytes are: `buffer[start, end)`. */
export interface ExtraText {
  buffer: Uint8Array;
  start: number;
  end: number;
}

/**
 * Recognises, from its UTF-8 bytes, a valid `telemetry_event_v1` line that other producers write
 * and whose canonical form can be written without parsing it: the five core fields and up to
 * eight others (keys without escapes, not index-like, not repeated), in any order, whitespace
 * between tokens (Python's `json.dumps` writes `": "` and `", "`), a timestamp
 * {@link LineTimestamp} reads (offsets converted to UTC), channel and event name without
 * escapes, and a payload and other values that are canonical JSON once their whitespace is
 * removed. The other fields are written after the core ones, in line order, as the parser's
 * event has them.
 * Anything else is left to the parser and may still be valid. After a successful {@link scan},
 * the fields describe the line, and what {@link line} holds depends on {@link LooseCompose}. A
 * differential property test holds it to the parser.
 */
export class LooseLineScanner {
  private readonly fields: LineFields;
  private out = new Uint8Array(1024);

  /** The UTC day as the number YYYYMMDD. */
  day = 0;
  /**
   * Nanoseconds since the start of the UTC day. NaN until a timestamp is read: a double from
   * the start (most values are), as a field that changes from integer to double makes V8 throw
   * away the code it optimized for the object.
   */
  nanos = Number.NaN;
  /** Fraction digits of the canonical timestamp: 3, 6 or 9. */
  digits = 0;
  /** The canonical line is `line[0, lineEnd)` (composing `"line"`). */
  line: Uint8Array = this.out;
  lineEnd = 0;
  /** Where the canonical timestamp's text starts in {@link line} (composing `"line"`). */
  timestampStart = 0;
  /**
   * Where the canonical payload starts and ends (exclusive) in {@link line} (composing `"line"`
   * or `"payload"`).
   */
  payloadStart = 0;
  payloadEnd = 0;
  /**
   * The JSON text of the object of the line's other fields, or undefined when it has none
   * (composing `"line"` or `"payload"`).
   */
  extra: ExtraText | undefined = undefined;
  private readonly extraText: ExtraText = { buffer: this.out, start: 0, end: 0 };

  /**
   * `heads`: shared with the canonical scanner of the same lines. `compose`: what is written of
   * each line taken; counting (`"none"`) needs neither its text nor the payload's keys in
   * canonical order (see {@link CanonicalJsonBytes}).
   */
  constructor(
    private readonly heads = new LineHeads(),
    private readonly compose: LooseCompose = "line",
  ) {
    this.fields = new LineFields(compose !== "none");
  }

  /** The line's head when `buf[start, end)` (one line, without its `\n`) is such a line. */
  scan(buf: Uint8Array, start: number, end: number): LineHead | undefined {
    if (buf[start] !== 0x7b || buf[end - 1] !== 0x7d) return undefined;
    const fields = this.fields;
    if (!fields.read(buf, start, end)) return undefined;
    const { cs, ce, es, ee } = fields;
    let hash = hashBytes(HASH_START, buf, cs, ce);
    hash = hashBytes(hash, buf, es, ee);
    const head = this.heads.find(hash, buf, cs, ce, es, ee);
    if (head === undefined) return undefined;
    const { day, nanos, digits, verbatimAt } = fields.time;
    this.day = day;
    this.nanos = nanos;
    this.digits = digits;
    this.verbatimAt = verbatimAt;
    const extras = fields.extras;
    if (extras.length === 0 || this.compose === "none") this.extra = undefined;
    else {
      this.extraText.buffer = extras.text;
      this.extraText.end = extras.length;
      this.extra = this.extraText;
    }
    if (this.compose === "payload") this.writePayload(buf, fields.ps, fields.pe, fields.edited);
    else if (this.compose !== "none") {
      this.head = head;
      this.source = buf;
      this.sourcePayload = fields.ps;
      this.sourcePayloadEnd = fields.pe;
      this.edited = fields.edited;
      if (this.compose === "line") this.write();
    }
    return head;
  }

  // Composing `"line"` or `"text"`: the last line taken, written by writeLine.
  private head: LineHead | undefined;
  // LineTimestamp.verbatimAt of the last line taken (a position in `source`).
  private verbatimAt = -1;
  private source: Uint8Array = this.out;
  private sourcePayload = 0;
  private sourcePayloadEnd = 0;
  private edited = false;

  // The canonical payload's length: without its whitespace, or as it is.
  private payloadLength(): number {
    return this.edited ? this.fields.json.edits.length : this.sourcePayloadEnd - this.sourcePayload;
  }

  // The bytes the other fields add to the line: `,` and the text of their object, unbraced.
  private extraLength(): number {
    const length = this.fields.extras.length;
    return length === 0 ? 0 : length - 1;
  }

  /** At most how many bytes {@link writeLine} writes for the last line taken. */
  lineBytes(): number {
    const head = this.head?.lineStart.length ?? 0;
    return head + 31 + 13 + this.payloadLength() + this.extraLength() + 1;
  }

  /**
   * Writes the canonical text of the last line taken into `out` at `at`: the fixed prefix, the
   * head, the timestamp, the payload without whitespace; its end. `micros`: the timestamp cut to
   * microseconds, in canonical form, as the JSON export writes it (see json-timestamps.ts in the
   * exporter).
   */
  writeLine(out: Uint8Array, at: number, micros: boolean): number {
    const head = this.head as LineHead;
    out.set(head.lineStart, at);
    let digits = this.digits;
    if (micros && digits === 9) {
      const fraction = this.nanos % 1e9;
      digits = Math.floor(fraction / 1000) % 1000 === 0 ? 3 : 6;
    }
    const from = this.verbatimAt;
    let o = at + head.lineStart.length;
    if (from >= 0) {
      // Already canonical but for its zone: copied, not written digit by digit from its parts.
      // Cut to microseconds, the canonical form is a prefix of the fraction's digits.
      const source = this.source;
      const length = 20 + digits;
      for (let k = 0; k < length; k++) out[o + k] = source[from + k] as number;
      out[o + length] = 0x5a;
      o += length + 1;
    } else o = writeParts(out, o, this.day, this.nanos, digits);
    out.set(BEFORE_PAYLOAD, o);
    o += BEFORE_PAYLOAD.length;
    if (this.edited) {
      o = this.fields.json.edits.writeInto(out, o);
    } else {
      out.set(this.source.subarray(this.sourcePayload, this.sourcePayloadEnd), o);
      o += this.sourcePayloadEnd - this.sourcePayload;
    }
    if (this.fields.extras.length > 0) o = this.writeExtras(out, o);
    out[o++] = 0x7d;
    return o;
  }

  // The other fields after the payload: `,` and their object's text, unbraced. Apart from
  // writeLine: written inside it, the JSON export of Python's lines (none has such fields)
  // took about 4% longer, 2% with it apart (paired runs of whole processes).
  private writeExtras(out: Uint8Array, at: number): number {
    const extras = this.fields.extras;
    const text = extras.text;
    let o = at;
    out[o++] = 0x2c;
    for (let k = 1; k < extras.length - 1; k++) out[o++] = text[k] as number;
    return o;
  }

  // The canonical payload alone: where it already is, or as the reader removed its whitespace.
  private writePayload(buf: Uint8Array, ps: number, pe: number, edited: boolean): void {
    if (!edited) {
      this.line = buf;
      this.payloadStart = ps;
      this.payloadEnd = pe;
    } else {
      this.line = this.fields.json.edits.text();
      this.payloadStart = 0;
      this.payloadEnd = this.fields.json.edits.length;
    }
    this.lineEnd = 0;
  }

  // The canonical line, into this scanner's own memory (composing `"line"`).
  private write(): void {
    const need = this.lineBytes();
    if (this.out.length < need) this.out = new Uint8Array(Math.max(need, this.out.length * 2));
    this.line = this.out;
    this.lineEnd = this.writeLine(this.out, 0, false);
    this.timestampStart = (this.head as LineHead).lineStart.length;
    this.payloadEnd = this.lineEnd - 1 - this.extraLength();
    this.payloadStart = this.payloadEnd - this.payloadLength();
  }
}
