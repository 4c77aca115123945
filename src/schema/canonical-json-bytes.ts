import { canonicalNumberEnd, isDigit, NOT_CANONICAL } from "./canonical-number.js";
import { readEscape } from "./json-escapes.js";
import { holdsKey } from "./key-list.js";
import { TextEdits } from "./text-edits.js";
import { WASM_CHECK } from "./wasm/canonical-check.js";

// Deeper payloads are rare: leave them to the parser (which allows up to MAX_PAYLOAD_DEPTH).
const MAX_SCAN_DEPTH = 64;
const MAX_SCAN_KEYS = 64;

export { NOT_CANONICAL };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

// The escapes JSON.stringify writes: \" \\ \b \f \n \r \t (\u and \/ may spell the same text
// another way, so they are not canonical).
const STRINGIFY_ESCAPE = new Uint8Array(128);
for (const c of '"\\bfnrt') STRINGIFY_ESCAPE[c.charCodeAt(0)] = 1;

// Bytes that stand for themselves inside a JSON string: all but `"`, `\` and control characters.
const PLAIN = new Uint8Array(256).fill(1);
PLAIN.fill(0, 0, 0x20);
PLAIN[QUOTE] = 0;
PLAIN[BACKSLASH] = 0;

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * Reads JSON values from UTF-8 bytes and accepts only text that JSON.stringify would produce
 * for the value it denotes: no whitespace, canonical number forms, only the escapes stringify
 * writes, and object keys in the order V8 keeps them (no integer-like keys, no duplicates).
 * The bytes must be valid UTF-8 (so no lone surrogates can hide in them). Every method returns
 * the position after the value, or {@link NOT_CANONICAL}.
 */
export class CanonicalJsonBytes {
  /**
   * `keyOrder`: refuse integer-like and repeated keys, which `JSON.stringify` of the parsed value
   * would write otherwise (moved first, or once). Without it, the text accepted is still valid
   * JSON that parses to a valid payload, only not always in its canonical form: enough when the
   * text is counted and never written out. `compact`: in loose mode, note {@link edits}
   * (the text is written out); counting needs no copy.
   */
  constructor(
    private readonly keyOrder = true,
    private readonly compact = keyOrder,
  ) {}
  private buf: Uint8Array = new Uint8Array(0);
  private end = 0;
  // Key positions of the objects being read, as a stack: an object's keys are compared with
  // its own keys only, in place, so no key string is ever made.
  private readonly keyStarts = new Int32Array(MAX_SCAN_DEPTH * MAX_SCAN_KEYS + MAX_SCAN_KEYS);
  private readonly keyLengths = new Int32Array(MAX_SCAN_DEPTH * MAX_SCAN_KEYS + MAX_SCAN_KEYS);
  private keyTop = 0;
  // Loose: whitespace allowed between tokens (what `JSON.stringify` leaves out), so that the text
  // without it is canonical. Only checked where a canonical text would already be refused.
  private loose = false;
  /** Whether the last object read in loose mode had whitespace between its tokens. */
  edited = false;
  /** Compacting: the whitespace of the last object read, and its text without it. */
  readonly edits = new TextEdits();

  /**
   * The end of the object starting at `start` (a `{`), read no further than `end`. `loose`:
   * accept whitespace between tokens; the text is then canonical once it is removed (see
   * {@link edits}), and {@link edited} says whether there was any.
   */
  objectAt(buf: Uint8Array, start: number, end: number, loose = false): number {
    return this.read(buf, start, end, loose, true);
  }

  /** The end of any JSON value starting at `start`, as {@link objectAt} reads an object. */
  valueAt(buf: Uint8Array, start: number, end: number, loose = false): number {
    return this.read(buf, start, end, loose, false);
  }

  private read(buf: Uint8Array, start: number, end: number, loose: boolean, object: boolean) {
    this.buf = buf;
    this.end = end;
    this.keyTop = 0;
    this.loose = loose;
    this.edited = false;
    if (this.compact) this.edits.reset(buf, start);
    let after = NOT_CANONICAL;
    // Bytes a reader read into the WebAssembly check's memory are checked there, in 0.6 to 0.7
    // of the time (BENCHMARKS.md, stop 39); it answers only when it is sure, else returns -1.
    if (object && !loose && buf.buffer === WASM_CHECK.memory) {
      const offset = buf.byteOffset;
      after = WASM_CHECK.object(offset + start, offset + end, this.keyOrder ? 1 : 0);
      if (after >= 0) after -= offset;
    }
    if (after < 0) after = object ? this.object(start, 1) : this.value(start, 1);
    if (this.compact) this.edits.close(after);
    return after;
  }

  // The first position from `at` that is not JSON whitespace (loose mode only).
  private skip(at: number): number {
    if (!this.loose) return at;
    const buf = this.buf;
    let i = at;
    while (i < this.end && isSpace(buf[i] as number)) i++;
    if (i === at) return i;
    if (this.compact) this.edits.add(at, i);
    this.edited = true;
    return i;
  }

  // A value inside an object or array: strings and numbers (most values) read here, in a
  // function V8 can inline them into; containers through the recursive value().
  private member(i: number, depth: number): number {
    const c = this.buf[i] as number;
    if (c === QUOTE) return i < this.end ? this.string(i) : NOT_CANONICAL;
    if (c >= 0x30 && c <= 0x39)
      return i < this.end ? canonicalNumberEnd(this.buf, i, this.end) : NOT_CANONICAL;
    return this.value(i, depth);
  }

  private value(i: number, depth: number): number {
    if (i >= this.end) return NOT_CANONICAL;
    const c = this.buf[i] as number;
    if (c === QUOTE) return this.string(i);
    if (c === 0x7b) return this.object(i, depth);
    if (c === 0x5b) return this.array(i, depth);
    if (c === 0x74) return this.literal(i, TRUE);
    if (c === 0x66) return this.literal(i, FALSE);
    if (c === 0x6e) return this.literal(i, NULL);
    if (c === 0x2d || isDigit(c)) return canonicalNumberEnd(this.buf, i, this.end);
    if (this.loose && isSpace(c)) return this.value(this.skip(i), depth);
    return NOT_CANONICAL;
  }

  private object(i: number, depth: number): number {
    if (depth > MAX_SCAN_DEPTH) return NOT_CANONICAL;
    const buf = this.buf;
    let at = i + 1;
    if (buf[at] !== QUOTE) at = this.skip(at);
    if (buf[at] === 0x7d) return at + 1;
    const base = this.keyTop;
    let keys = 0;
    // A bit per key read, from its length and two of its bytes: a key whose bit is not set yet
    // repeats none, and only the others are compared with the keys before them (the check took
    // a fifth of reading a payload, 55 of 266 ns; now 19).
    let marks = 0;
    for (;;) {
      if (buf[at] !== QUOTE) at = this.skip(at);
      if (buf[at] !== QUOTE) return NOT_CANONICAL;
      const end = this.string(at, true);
      // The in-place duplicate check is quadratic: wide objects go to the parser instead.
      if (end === NOT_CANONICAL || keys >= MAX_SCAN_KEYS) return NOT_CANONICAL;
      const start = at + 1;
      const length = end - 1 - start;
      // V8 moves integer-like keys first, and a repeated key keeps one value: neither round-trips.
      if (this.keyOrder) {
        // An empty key has no second byte: the one after it may be whitespace in loose mode.
        const second = length === 0 ? 0 : (buf[start + 1] as number);
        const mark = 1 << ((length + second * 5 + (buf[end - 2] as number) * 3) & 31);
        if (
          (marks & mark) !== 0 &&
          holdsKey(buf, this.keyStarts, this.keyLengths, base, base + keys, buf, start, length)
        )
          return NOT_CANONICAL;
        if (this.isIntegerLike(start, length)) return NOT_CANONICAL;
        marks |= mark;
      }
      this.keyStarts[base + keys] = start;
      this.keyLengths[base + keys] = length;
      keys++;
      const colon = buf[end] === 0x3a ? end : this.skip(end);
      if (buf[colon] !== 0x3a) return NOT_CANONICAL;
      this.keyTop = base + keys;
      at = this.member(colon + 1, depth + 1);
      this.keyTop = base + keys;
      if (at === NOT_CANONICAL) return NOT_CANONICAL;
      let c = buf[at];
      if (c !== 0x7d && c !== 0x2c) {
        at = this.skip(at);
        c = buf[at];
      }
      if (c === 0x7d) {
        this.keyTop = base;
        return at + 1;
      }
      if (c !== 0x2c) return NOT_CANONICAL;
      at++;
    }
  }

  private isIntegerLike(start: number, length: number): boolean {
    if (length === 0 || length > 10) return false;
    for (let k = start; k < start + length; k++) if (!isDigit(this.buf[k] as number)) return false;
    return length === 1 || this.buf[start] !== 0x30;
  }

  private array(i: number, depth: number): number {
    if (depth > MAX_SCAN_DEPTH) return NOT_CANONICAL;
    let at = i + 1;
    if (this.buf[at] !== 0x5d) at = this.skip(at);
    if (this.buf[at] === 0x5d) return at + 1;
    for (;;) {
      at = this.member(at, depth + 1);
      if (at === NOT_CANONICAL) return NOT_CANONICAL;
      let c = this.buf[at];
      if (c !== 0x5d && c !== 0x2c) {
        at = this.skip(at);
        c = this.buf[at];
      }
      if (c === 0x5d) return at + 1;
      if (c !== 0x2c) return NOT_CANONICAL;
      at++;
    }
  }

  // Any byte from 0x20 up is literal text (multi-byte characters included); only `"`, `\` and
  // raw control characters stop the inner loop. `key`: an object's key, whose escapes other
  // than stringify's are refused where keys are compared (the same key spelled two ways).
  private string(i: number, key = false): number {
    const buf = this.buf;
    const end = this.end;
    let at = i + 1;
    for (;;) {
      // No bound in the loop: a line's "\n", or the buffer's end (undefined), stops it.
      while (PLAIN[buf[at] as number] === 1) at++;
      if (at >= end) return NOT_CANONICAL;
      const c = buf[at];
      if (c === QUOTE) return at + 1;
      if (c !== BACKSLASH) return NOT_CANONICAL; // a raw control character
      const e = buf[at + 1] as number;
      if (e < 128 && STRINGIFY_ESCAPE[e] === 1) at += 2;
      else if (!this.loose || (key && this.keyOrder)) return NOT_CANONICAL;
      else {
        at = readEscape(buf, at, end, this.compact ? this.edits : undefined);
        if (at < 0) return NOT_CANONICAL;
        this.edited = true;
      }
    }
  }

  private literal(i: number, word: readonly number[]): number {
    if (i + word.length > this.end) return NOT_CANONICAL;
    for (let k = 0; k < word.length; k++) if (this.buf[i + k] !== word[k]) return NOT_CANONICAL;
    return i + word.length;
  }
}
