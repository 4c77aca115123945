import { CanonicalJsonBytes, NOT_CANONICAL } from "./canonical-json-bytes.js";
import { ExtraFields } from "./extra-fields.js";
import {
  LineTemplate,
  SLOT_CHANNEL,
  SLOT_EVENT,
  SLOT_EXTRA,
  SLOT_PAYLOAD,
  SLOT_TIMESTAMP,
  TEMPLATE_SLOTS,
} from "./line-template.js";
import { LineTimestamp } from "./line-timestamp.js";

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const KEYS = ["schema_version", "channel", "event", "timestamp", "payload"].map(ascii);
// Indexes into KEYS (4 is the payload).
const [VERSION, CHANNEL, EVENT, TIMESTAMP] = [0, 1, 2, 3];
const ALL_KEYS = 0b11111;
const VERSION_VALUE = ascii('"telemetry_event_v1"');

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * Finds the five core fields of a line other producers write, and the other fields it has (see
 * LooseLineScanner for which lines): with the layout of the last line read (LineTemplate), else
 * field by field, in any order, with any whitespace between tokens, learning that line's layout.
 */
export class LineFields {
  readonly time = new LineTimestamp();
  /** Reads the payload; `compact`: keys in canonical order, its whitespace removed. */
  readonly json: CanonicalJsonBytes;
  /** The other fields of the line read. */
  readonly extras: ExtraFields;
  // Reads the values of other fields (its edits are not the payload's); made for the first.
  private extraJson: CanonicalJsonBytes | undefined;

  constructor(private readonly compact: boolean) {
    this.json = new CanonicalJsonBytes(compact);
    this.extras = new ExtraFields(compact);
  }

  /** Whether `buf[start, end)` (a `{`...`}` line) has the five fields, found as such. */
  read(buf: Uint8Array, start: number, end: number): boolean {
    if (buf !== this.viewed) {
      this.viewed = buf;
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    this.extras.reset();
    if (this.template.known && this.matchTemplate(buf, start, end)) return true;
    // A layout matched in part may have noted some of the other fields.
    this.extras.reset();
    return this.readFields(buf, start, end);
  }

  // Where the values of the line read are: channel, event name, payload (and whether it had
  // whitespace), as positions in its buffer; the timestamp's parts are in `time`.
  cs = 0;
  ce = 0;
  es = 0;
  ee = 0;
  ps = 0;
  pe = 0;
  edited = false;
  private readonly template = new LineTemplate();
  private viewed: Uint8Array | undefined;
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  // The values found by readFields, in line order, for the template: kinds, starts and ends.
  private readonly kinds = new Int8Array(TEMPLATE_SLOTS);
  private readonly valueStarts = new Int32Array(TEMPLATE_SLOTS);
  private readonly valueEnds = new Int32Array(TEMPLATE_SLOTS);
  private readonly keyStarts = new Int32Array(TEMPLATE_SLOTS);
  private readonly keyEnds = new Int32Array(TEMPLATE_SLOTS);

  // The line read with the layout of the last one read field by field (see LineTemplate).
  private matchTemplate(buf: Uint8Array, start: number, end: number): boolean {
    const template = this.template;
    const view = this.view;
    let at = template.literalEnd(0, buf, view, start, end);
    const slots = template.slots;
    for (let k = 0; k < slots && at >= 0; k++) {
      const slot = template.order[k] as number;
      if (slot === SLOT_PAYLOAD) at = this.payload(buf, at, end);
      else if (slot === SLOT_TIMESTAMP) at = this.time.read(buf, at, end);
      else if (slot === SLOT_EXTRA) {
        const keys = template.keys;
        at = this.extra(
          keys,
          template.keyStarts[k] as number,
          template.keyEnds[k] as number,
          buf,
          at,
          end,
        );
      } else at = this.name(slot, buf, at, end);
      if (at < 0) return false;
      at = template.literalEnd(k + 1, buf, view, at, end);
    }
    return at === end;
  }

  // The payload object at `at`, within the line's closing brace: where it ends, its place and
  // whether it had whitespace kept; or -1.
  private payload(buf: Uint8Array, at: number, end: number): number {
    if (buf[at] !== 0x7b) return -1;
    const pe = this.json.objectAt(buf, at, end - 1, true);
    if (pe === NOT_CANONICAL) return -1;
    this.ps = at;
    this.pe = pe;
    this.edited = this.json.edited;
    return pe;
  }

  // The value at `at` of the field whose key is `keys[ks, ke)`: where it ends, noted in
  // `extras`; or -1.
  private extra(
    keys: Uint8Array,
    ks: number,
    ke: number,
    buf: Uint8Array,
    at: number,
    end: number,
  ): number {
    this.extraJson ??= new CanonicalJsonBytes(this.compact);
    const json = this.extraJson;
    const ve = json.valueAt(buf, at, end - 1, true);
    if (ve === NOT_CANONICAL || !this.extras.add(keys, ks, ke, buf, at, ve, json)) return -1;
    return ve;
  }

  // The channel or event name (`slot`) starting at `at`, a string without escapes: its closing
  // quote, its place kept; or -1.
  private name(slot: number, buf: Uint8Array, at: number, end: number): number {
    const e = plainStringEnd(buf, at, end);
    if (e < 0) return -1;
    if (slot === SLOT_CHANNEL) {
      this.cs = at;
      this.ce = e;
    } else {
      this.es = at;
      this.ee = e;
    }
    return e;
  }

  // The line read field by field, in any order, with any whitespace; its layout is then learned.
  private readFields(buf: Uint8Array, start: number, end: number): boolean {
    let seen = 0;
    let values = 0;
    let at = start + 1;
    for (;;) {
      while (at < end && isSpace(buf[at] as number)) at++;
      if (buf[at] !== 0x22) return false;
      const keyStart = at;
      const key = keyAt(buf, at + 1);
      if (key >= 0) {
        if (seen & (1 << key)) return false;
        seen |= 1 << key;
        at += (KEYS[key] as Uint8Array).length + 2;
      } else {
        // Another field: a key without escapes that V8 would not move first (an index).
        const close = plainStringEnd(buf, at + 1, end);
        if (close < 0 || values === TEMPLATE_SLOTS || isIndexLike(buf, at + 1, close)) return false;
        at = close + 1;
      }
      const keyEnd = at;
      while (at < end && isSpace(buf[at] as number)) at++;
      if (buf[at++] !== 0x3a) return false;
      while (at < end && isSpace(buf[at] as number)) at++;
      let from = at;
      let slot = SLOT_PAYLOAD;
      if (key < 0) {
        at = this.extra(buf, keyStart, keyEnd, buf, at, end);
        if (at < 0) return false;
        slot = SLOT_EXTRA;
        this.keyStarts[values] = keyStart;
        this.keyEnds[values] = keyEnd;
      } else if (key === VERSION) {
        if (!bytesAt(buf, at, VERSION_VALUE)) return false;
        at += VERSION_VALUE.length;
      } else if (key === CHANNEL || key === EVENT) {
        if (buf[at] !== 0x22) return false;
        from = at + 1;
        slot = key === CHANNEL ? SLOT_CHANNEL : SLOT_EVENT;
        const e = this.name(slot, buf, from, end);
        if (e < 0) return false;
        at = e + 1;
      } else if (key === TIMESTAMP) {
        if (buf[at] !== 0x22) return false;
        from = at + 1;
        const e = this.time.read(buf, from, end);
        if (e < 0 || buf[e] !== 0x22) return false;
        slot = SLOT_TIMESTAMP;
        at = e + 1;
      } else {
        at = this.payload(buf, at, end);
        if (at < 0) return false;
      }
      if (key !== VERSION) {
        this.kinds[values] = slot;
        this.valueStarts[values] = from;
        // A string's closing quote belongs to the layout, as its opening one does.
        this.valueEnds[values] = slot === SLOT_PAYLOAD || slot === SLOT_EXTRA ? at : at - 1;
        values++;
      }
      while (at < end && isSpace(buf[at] as number)) at++;
      if (buf[at] === 0x2c) at++;
      else if (at === end - 1 && seen === ALL_KEYS) break;
      else return false;
    }
    const { kinds, valueStarts, valueEnds, keyStarts, keyEnds } = this;
    this.template.learn(buf, start, end, values, kinds, valueStarts, valueEnds, keyStarts, keyEnds);
    return true;
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

// Whether the key `buf[start, end)` is all digits: V8 orders index-like keys first, which
// JSON.stringify then writes first (all digits is a little more than an index; those go to the
// parser too).
function isIndexLike(buf: Uint8Array, start: number, end: number): boolean {
  for (let k = start; k < end; k++) {
    const c = buf[k] as number;
    if (c < 0x30 || c > 0x39) return false;
  }
  return end > start;
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
