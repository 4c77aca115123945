// Snappy raw format: a varint of the uncompressed length, then elements, each a literal (tag
// 0b00) or a copy of earlier output (tag 0b01: offset < 2048, length 4-11; tag 0b10: 16-bit
// offset, length 1-64). Only these three are written: matches are looked for within 64 KiB.

const HASH_BITS = 14;
const HASH_SHIFT = 32 - HASH_BITS;
const WINDOW = 0xffff;
/** Inputs shorter than this are written as one literal. */
const MIN_INPUT = 16;
/** No match starts in the last bytes: a 4-byte load there would run past the end. */
const TAIL = 4;

/**
 * A Snappy compressor built for the Parquet pages we write: one hash table and one output
 * buffer, reused for every call, so compressing a page allocates nothing once the buffer has
 * grown to the largest page. The returned bytes are a view of that buffer, valid until the next
 * call (the page writer copies them out at once).
 */
export class SnappyCompressor {
  private readonly table = new Int32Array(1 << HASH_BITS);
  // The 4 bytes at each slot's position: a candidate is checked with one comparison.
  private readonly words = new Int32Array(1 << HASH_BITS);
  private out = new Uint8Array(1 << 16);

  compress(input: Uint8Array): Uint8Array {
    const n = input.length;
    // A literal costs at most 5 tag bytes, one per 60 input bytes in the worst case: bound loose.
    const bound = 32 + n + Math.ceil(n / 6);
    if (this.out.length < bound) this.out = new Uint8Array(Math.max(bound, this.out.length * 2));
    const out = this.out;
    let o = varint(n, out, 0);
    if (n === 0) return out.subarray(0, o);
    if (n < MIN_INPUT) return out.subarray(0, literal(input, 0, n, out, o));
    this.table.fill(-1);
    o = this.matches(input, out, o);
    const pending = this.pending;
    if (pending < n) o = literal(input, pending, n, out, o);
    return out.subarray(0, o);
  }

  // Where the bytes not yet written start, after matches().
  private pending = 0;

  /**
   * Writes the matches of `input` and the literals between them into `out` from `at`; returns
   * the output's end, the input's unwritten tail starting at {@link pending}. A method of its
   * own: V8 optimizes this loop from inside it on a page's first call, and code after the loop,
   * not run yet, was thrown away at its first use (compress was compiled 8 times in a Parquet
   * export of 1M events).
   */
  private matches(input: Uint8Array, out: Uint8Array, at: number): number {
    const { table, words } = this;
    const n = input.length;
    const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
    const last = n - TAIL;
    let o = at;
    let pending = 0; // start of the bytes not yet written
    let i = 0;
    let misses = 32; // after 32 misses in a row, step over 2 bytes, then 3...
    while (i <= last) {
      const word = view.getInt32(i, true);
      const slot = Math.imul(word, 0x1e35a7bd) >>> HASH_SHIFT;
      const candidate = table[slot] as number;
      const seen = words[slot] as number;
      table[slot] = i;
      words[slot] = word;
      if (candidate < 0 || seen !== word || i - candidate > WINDOW) {
        i += misses++ >> 5;
        continue;
      }
      misses = 32;
      let end = i + 4;
      let from = candidate + 4;
      while (end + 4 <= n && view.getInt32(end, true) === view.getInt32(from, true)) {
        end += 4;
        from += 4;
      }
      while (end < n && input[end] === input[from]) {
        end++;
        from++;
      }
      if (pending < i) o = literal(input, pending, i, out, o);
      o = copy(i - candidate, end - i, out, o);
      // Index the position just before the match's end, so runs that repeat chain on.
      if (end - 1 <= last) {
        const p = end - 1;
        const w = view.getInt32(p, true);
        const slotAt = Math.imul(w, 0x1e35a7bd) >>> HASH_SHIFT;
        table[slotAt] = p;
        words[slotAt] = w;
      }
      i = end;
      pending = end;
    }
    this.pending = pending;
    return o;
  }
}

/** Writes `value` as a varint at `at`; returns the new output position. */
function varint(value: number, out: Uint8Array, at: number): number {
  let o = at;
  let left = value;
  while (left >= 0x80) {
    out[o++] = (left & 0x7f) | 0x80;
    left >>>= 7;
  }
  out[o++] = left;
  return o;
}

/**
 * Writes `input[from, to)` as one literal element; returns the new output position. Its tag
 * and a copy's pieces are written by loops every element runs, not by branches for the rare
 * lengths: V8 optimizes the compressor inside its first page, and threw the code away at the
 * first literal or copy of a length not seen yet (compress was compiled 8 times in a Parquet
 * export of 1M events).
 */
function literal(input: Uint8Array, from: number, to: number, out: Uint8Array, at: number): number {
  const length = to - from - 1;
  let o = at;
  if (length < 60) {
    out[o++] = length << 2;
  } else {
    // 1 to 4 little-endian bytes of the length follow the tag (59 + their count).
    const bytes = 1 + (+(length >= 0x100) + +(length >= 0x10000) + +(length >= 0x1000000));
    out[o++] = (59 + bytes) << 2;
    for (let b = 0; b < bytes; b++) out[o++] = (length >>> (8 * b)) & 0xff;
  }
  if (to - from < 32) {
    for (let k = from; k < to; k++) out[o++] = input[k] as number;
    return o;
  }
  out.set(input.subarray(from, to), o);
  return o + (to - from);
}

/** Writes a match of `length` (>= 4) bytes `offset` (<= 65535) back; returns the new position. */
function copy(offset: number, length: number, out: Uint8Array, at: number): number {
  let o = at;
  let left = length;
  while (left > 0) {
    // Pieces of 64 while that leaves at least 4 (then 60), so the last piece is 4 to 64 bytes
    // and may take the short form.
    const piece = Math.min(left, 64) - 4 * (+(left > 64) & +(left < 68));
    if (piece <= 11 && offset < 2048) {
      out[o++] = 1 | ((piece - 4) << 2) | ((offset >>> 8) << 5);
      out[o++] = offset & 0xff;
    } else {
      out[o++] = 2 | ((piece - 1) << 2);
      out[o++] = offset & 0xff;
      out[o++] = offset >>> 8;
    }
    left -= piece;
  }
  return o;
}
