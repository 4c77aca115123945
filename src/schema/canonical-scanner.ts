import { CanonicalJsonBytes } from "./canonical-json-bytes.js";
import { AFTER_CHANNEL, HASH_START, type LineHead, LineHeads } from "./line-heads.js";
import { daysInMonth } from "./timestamp.js";
import { WASM_CHECK } from "./wasm/canonical-check.js";

export type { LineHead } from "./line-heads.js";

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const PREFIX = ascii('{"schema_version":"telemetry_event_v1","channel":"');
// The prefix as little-endian 32-bit words (and its last two bytes): compared a word at a time.
const PREFIX_WORDS = Array.from({ length: 12 }, (_, k) =>
  new DataView(PREFIX.buffer).getUint32(4 * k, true),
);
const AFTER_EVENT = ascii('","timestamp":"');
const AFTER_TIMESTAMP = ascii('","payload":{');
const AFTER_EVENT_WORDS = words(AFTER_EVENT);
const AFTER_TIMESTAMP_WORDS = words(AFTER_TIMESTAMP);
const AFTER_CHANNEL_WORDS = words(AFTER_CHANNEL);

// A literal as little-endian 32-bit words and its last bytes: compared a word at a time.
interface Words {
  readonly words: readonly number[];
  readonly tail: Uint8Array;
}
function words(literal: Uint8Array): Words {
  const view = new DataView(literal.buffer, literal.byteOffset, literal.byteLength);
  const n = literal.length >> 2;
  return {
    words: Array.from({ length: n }, (_, k) => view.getUint32(4 * k, true)),
    tail: literal.subarray(4 * n),
  };
}
function wordsAt(view: DataView, buf: Uint8Array, at: number, w: Words): boolean {
  const { words: ws, tail } = w;
  if (at + 4 * ws.length + tail.length > buf.length) return false;
  for (let k = 0; k < ws.length; k++) if (view.getUint32(at + 4 * k, true) !== ws[k]) return false;
  const t = at + 4 * ws.length;
  for (let k = 0; k < tail.length; k++) if (buf[t + k] !== tail[k]) return false;
  return true;
}

/**
 * Recognises a line that is exactly what `JSON.stringify` writes for a valid
 * `telemetry_event_v1` event (what the Tracker writes) from its UTF-8 bytes, without decoding or
 * parsing it: fixed prefix, channel and event name (validated once per distinct pair), a
 * canonical timestamp read as numbers, and a payload of canonical JSON. Anything else is left to
 * the parser and may still be valid. The bytes must be valid UTF-8. After a successful
 * {@link scan}, the fields describe that line. A differential property test holds it to the
 * parser.
 */
export class CanonicalScanner {
  private readonly json: CanonicalJsonBytes;
  /**
   * `heads`: shared with another scanner of the same lines, so both return the same heads.
   * `forOutput`: false when the lines are only counted; the payload may then also repeat a key
   * or have integer-like keys (valid, but `JSON.stringify` would not write it back as it is).
   */
  constructor(
    private readonly heads = new LineHeads(),
    forOutput = true,
  ) {
    this.json = new CanonicalJsonBytes(forOutput);
    this.keyOrder = forOutput ? 1 : 0;
  }
  private readonly keyOrder: number;
  private lastValidDay = -1;
  // A DataView of the buffer last scanned (chunks are scanned many lines at a time).
  private viewed: Uint8Array | undefined;
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

  /** The UTC day as the number YYYYMMDD. */
  day = 0;
  /** Nanoseconds since the start of the day (NaN until read: see LineTimestamp.nanos). */
  nanos = Number.NaN;
  /** Fraction digits written: 3, 6 or 9. */
  digits = 0;
  /** Where the timestamp's text starts in the buffer. */
  timestampStart = 0;
  /** Where the payload's JSON text starts and ends (exclusive) in the buffer. */
  payloadStart = 0;
  payloadEnd = 0;

  /** The line's head when `buf[start, end)` (one line, without its `\n`) is canonical. */
  scan(buf: Uint8Array, start: number, end: number): LineHead | undefined {
    if (buf.buffer === WASM_CHECK.memory) {
      const offset = buf.byteOffset;
      if (WASM_CHECK.line(offset + start, offset + end, this.keyOrder) >= 0) {
        return this.checked(buf, start, end, offset);
      }
    }
    if (end - start < PREFIX.length + 64 || buf[end - 1] !== 0x7d) return undefined;
    if (!this.prefixAt(buf, start)) return undefined;
    const channelStart = start + PREFIX.length;
    // The head is found by a hash of its bytes, taken while looking for the closing quotes.
    let hash = HASH_START;
    let at = channelStart;
    for (; at < end && buf[at] !== 0x22; at++)
      hash = Math.imul(hash ^ (buf[at] as number), 16777619);
    if (!wordsAt(this.view, buf, at, AFTER_CHANNEL_WORDS)) return undefined;
    const channelEnd = at;
    at += AFTER_CHANNEL.length;
    for (; at < end && buf[at] !== 0x22; at++)
      hash = Math.imul(hash ^ (buf[at] as number), 16777619);
    const eventEnd = at;
    if (!wordsAt(this.view, buf, eventEnd, AFTER_EVENT_WORDS)) return undefined;
    const eventStart = channelEnd + AFTER_CHANNEL.length;
    const head = this.heads.find(hash, buf, channelStart, channelEnd, eventStart, eventEnd);
    if (head === undefined) return undefined;
    const ts = eventEnd + AFTER_EVENT.length;
    const payloadStart = this.timestamp(buf, ts, end);
    if (payloadStart < 0) return undefined;
    const payloadEnd = this.json.objectAt(buf, payloadStart, end);
    if (payloadEnd !== end - 1) return undefined;
    this.timestampStart = ts;
    this.payloadStart = payloadStart;
    this.payloadEnd = payloadEnd;
    return head;
  }

  // What the WebAssembly check read of the line (canonical-line.wat: with it, the aggregate took
  // 0.92 of the time it took with the payload's check alone, BENCHMARKS.md stop 39); only the
  // head is looked up here.
  private checked(buf: Uint8Array, start: number, end: number, offset: number) {
    const read = WASM_CHECK.results;
    const channelEnd = (read[0] as number) - offset;
    const eventEnd = (read[1] as number) - offset;
    const channelStart = start + PREFIX.length;
    const eventStart = channelEnd + AFTER_CHANNEL.length;
    const head = this.heads.find(
      read[2] as number,
      buf,
      channelStart,
      channelEnd,
      eventStart,
      eventEnd,
    );
    if (head === undefined) return undefined;
    const digits = read[6] as number;
    this.day = read[3] as number;
    this.digits = digits;
    this.nanos =
      (read[4] as number) * 1e9 +
      (read[5] as number) * (digits === 3 ? 1e6 : digits === 6 ? 1e3 : 1);
    this.timestampStart = eventEnd + AFTER_EVENT.length;
    this.payloadStart = (read[7] as number) - offset;
    this.payloadEnd = end - 1;
    return head;
  }

  private prefixAt(buf: Uint8Array, at: number): boolean {
    if (buf !== this.viewed) {
      this.viewed = buf;
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    const view = this.view;
    for (let k = 0; k < 12; k++) {
      if (view.getUint32(at + 4 * k, true) !== PREFIX_WORDS[k]) return false;
    }
    return buf[at + 48] === PREFIX[48] && buf[at + 49] === PREFIX[49];
  }

  // YYYY-MM-DDTHH:MM:SS.fff[fff[fff]]Z, a real date and time: returns where the payload starts,
  // or -1.
  private timestamp(buf: Uint8Array, at: number, end: number): number {
    if (at + 24 + AFTER_TIMESTAMP.length > end) return -1;
    if (buf[at + 4] !== 0x2d || buf[at + 7] !== 0x2d || buf[at + 10] !== 0x54) return -1;
    if (buf[at + 13] !== 0x3a || buf[at + 16] !== 0x3a || buf[at + 19] !== 0x2e) return -1;
    const century = pair(buf, at);
    const yy = pair(buf, at + 2);
    const month = pair(buf, at + 5);
    const dom = pair(buf, at + 8);
    const hour = pair(buf, at + 11);
    const minute = pair(buf, at + 14);
    const second = pair(buf, at + 17);
    if ((century | yy | month | dom | hour | minute | second) < 0) return -1; // not all digits
    if (hour > 23 || minute > 59 || second > 59) return -1;
    const year = century * 100 + yy;
    const date = year * 10_000 + month * 100 + dom;
    if (date !== this.lastValidDay) {
      if (dom < 1 || dom > daysInMonth(year, month)) return -1;
      this.lastValidDay = date;
    }
    let fraction = 0;
    let k = at + 20;
    const limit = Math.min(at + 29, end);
    for (; k < limit; k++) {
      const v = (buf[k] as number) - 0x30;
      if (v < 0 || v > 9) break;
      fraction = fraction * 10 + v;
    }
    const digits = k - at - 20;
    if ((digits !== 3 && digits !== 6 && digits !== 9) || buf[k] !== 0x5a) return -1;
    if (!wordsAt(this.view, buf, k + 1, AFTER_TIMESTAMP_WORDS)) return -1;
    this.day = date;
    this.digits = digits;
    this.nanos =
      ((hour * 60 + minute) * 60 + second) * 1e9 +
      fraction * (digits === 3 ? 1e6 : digits === 6 ? 1e3 : 1);
    return k + AFTER_TIMESTAMP.length;
  }
}

// The two-digit number at `at`, or -1 when either byte is not a digit.
function pair(buf: Uint8Array, at: number): number {
  const hi = (buf[at] as number) - 0x30;
  const lo = (buf[at + 1] as number) - 0x30;
  if (hi < 0 || hi > 9 || lo < 0 || lo > 9) return -1;
  return hi * 10 + lo;
}
