import { CanonicalJsonBytes, NOT_CANONICAL } from "./canonical-json-bytes.js";
import { HASH_START, hashBytes, type LineHead, LineHeads } from "./line-heads.js";
import { LineTimestamp } from "./line-timestamp.js";
import { writeParts } from "./timestamp-parts.js";

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const KEYS = ["schema_version", "channel", "event", "timestamp", "payload"].map(ascii);
// Indexes into KEYS (4 is the payload).
const [VERSION, CHANNEL, EVENT, TIMESTAMP] = [0, 1, 2, 3];
const ALL_KEYS = 0b11111;
const VERSION_VALUE = ascii('"telemetry_event_v1"');
const BEFORE_PAYLOAD = ascii('","payload":');

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

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

/**
 * Recognises, from its UTF-8 bytes, a valid `telemetry_event_v1` line that other producers write
 * and whose canonical form can be written without parsing it: the five core fields and no
 * other, in any order, whitespace between tokens (Python's `json.dumps` writes `": "` and
 * `", "`), a timestamp {@link LineTimestamp} reads (offsets converted to UTC), channel and event
 * name without escapes, and a payload that is canonical JSON once its whitespace is removed.
 * Anything else is left to the parser and may still be valid. After a successful {@link scan},
 * the fields describe the line, and what {@link line} holds depends on {@link LooseCompose}. A
 * differential property test holds it to the parser.
 */
export class LooseLineScanner {
  private readonly json: CanonicalJsonBytes;
  private readonly time = new LineTimestamp();
  private out = new Uint8Array(1024);

  /** The UTC day as the number YYYYMMDD. */
  day = 0;
  /** Nanoseconds since the start of the UTC day. */
  nanos = 0;
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
   * `heads`: shared with the canonical scanner of the same lines. `compose`: what is written of
   * each line taken; counting (`"none"`) needs neither its text nor the payload's keys in
   * canonical order (see {@link CanonicalJsonBytes}).
   */
  constructor(
    private readonly heads = new LineHeads(),
    private readonly compose: LooseCompose = "line",
  ) {
    this.json = new CanonicalJsonBytes(compose !== "none");
  }

  /** The line's head when `buf[start, end)` (one line, without its `\n`) is such a line. */
  scan(buf: Uint8Array, start: number, end: number): LineHead | undefined {
    if (buf[start] !== 0x7b || buf[end - 1] !== 0x7d) return undefined;
    let seen = 0;
    let cs = 0;
    let ce = 0;
    let es = 0;
    let ee = 0;
    let ps = 0;
    let pe = 0;
    let spaced = false;
    let at = start + 1;
    for (;;) {
      while (at < end && isSpace(buf[at] as number)) at++;
      if (buf[at] !== 0x22) return undefined;
      const key = keyAt(buf, at + 1);
      if (key < 0 || seen & (1 << key)) return undefined;
      seen |= 1 << key;
      at += (KEYS[key] as Uint8Array).length + 2;
      while (at < end && isSpace(buf[at] as number)) at++;
      if (buf[at++] !== 0x3a) return undefined;
      while (at < end && isSpace(buf[at] as number)) at++;
      if (key === VERSION) {
        if (!bytesAt(buf, at, VERSION_VALUE)) return undefined;
        at += VERSION_VALUE.length;
      } else if (key === CHANNEL || key === EVENT) {
        if (buf[at] !== 0x22) return undefined;
        const s = at + 1;
        const e = plainStringEnd(buf, s, end);
        if (e < 0) return undefined;
        if (key === CHANNEL) {
          cs = s;
          ce = e;
        } else {
          es = s;
          ee = e;
        }
        at = e + 1;
      } else if (key === TIMESTAMP) {
        if (buf[at] !== 0x22) return undefined;
        const e = this.time.read(buf, at + 1, end);
        if (e < 0 || buf[e] !== 0x22) return undefined;
        at = e + 1;
      } else {
        if (buf[at] !== 0x7b) return undefined;
        ps = at;
        pe = this.json.objectAt(buf, at, end - 1, true);
        if (pe === NOT_CANONICAL) return undefined;
        spaced = this.json.spaced;
        at = pe;
      }
      while (at < end && isSpace(buf[at] as number)) at++;
      if (buf[at] === 0x2c) at++;
      else if (at === end - 1 && seen === ALL_KEYS) break;
      else return undefined;
    }
    let hash = hashBytes(HASH_START, buf, cs, ce);
    hash = hashBytes(hash, buf, es, ee);
    const head = this.heads.find(hash, buf, cs, ce, es, ee);
    if (head === undefined) return undefined;
    const { day, nanos, digits } = this.time;
    this.day = day;
    this.nanos = nanos;
    this.digits = digits;
    if (this.compose === "payload") this.writePayload(buf, ps, pe, spaced);
    else if (this.compose !== "none") {
      this.head = head;
      this.source = buf;
      this.sourcePayload = ps;
      this.sourcePayloadEnd = pe;
      this.spaced = spaced;
      if (this.compose === "line") this.write();
    }
    return head;
  }

  // Composing `"line"` or `"text"`: the last line taken, written by writeLine.
  private head: LineHead | undefined;
  private source: Uint8Array = this.out;
  private sourcePayload = 0;
  private sourcePayloadEnd = 0;
  private spaced = false;

  // The canonical payload's length: without its whitespace, or as it is.
  private payloadLength(): number {
    return this.spaced ? this.json.compactedEnd : this.sourcePayloadEnd - this.sourcePayload;
  }

  /** At most how many bytes {@link writeLine} writes for the last line taken. */
  lineBytes(): number {
    return (this.head?.lineStart.length ?? 0) + 31 + 13 + this.payloadLength() + 1;
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
    let o = writeParts(out, at + head.lineStart.length, this.day, this.nanos, digits);
    out.set(BEFORE_PAYLOAD, o);
    o += BEFORE_PAYLOAD.length;
    if (this.spaced) {
      out.set(this.json.compacted.subarray(0, this.json.compactedEnd), o);
      o += this.json.compactedEnd;
    } else {
      out.set(this.source.subarray(this.sourcePayload, this.sourcePayloadEnd), o);
      o += this.sourcePayloadEnd - this.sourcePayload;
    }
    out[o++] = 0x7d;
    return o;
  }

  // The canonical payload alone: where it already is, or as the reader removed its whitespace.
  private writePayload(buf: Uint8Array, ps: number, pe: number, spaced: boolean): void {
    if (!spaced) {
      this.line = buf;
      this.payloadStart = ps;
      this.payloadEnd = pe;
    } else {
      this.line = this.json.compacted;
      this.payloadStart = 0;
      this.payloadEnd = this.json.compactedEnd;
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
    this.payloadEnd = this.lineEnd - 1;
    this.payloadStart = this.payloadEnd - this.payloadLength();
  }
}

function bytesAt(buf: Uint8Array, at: number, literal: Uint8Array): boolean {
  for (let k = 0; k < literal.length; k++) if (buf[at + k] !== literal[k]) return false;
  return true;
}

// Which core key the quoted key starting at `at` (after its quote) is, or -1.
function keyAt(buf: Uint8Array, at: number): number {
  for (let key = 0; key < KEYS.length; key++) {
    const name = KEYS[key] as Uint8Array;
    if (buf[at] === name[0] && bytesAt(buf, at, name) && buf[at + name.length] === 0x22) return key;
  }
  return -1;
}

// The closing quote of a string starting at `at` that holds no escape and no control
// character, or -1.
function plainStringEnd(buf: Uint8Array, at: number, end: number): number {
  for (let k = at; k < end; k++) {
    const c = buf[k] as number;
    if (c === 0x22) return k;
    if (c === 0x5c || c < 0x20) return -1;
  }
  return -1;
}
