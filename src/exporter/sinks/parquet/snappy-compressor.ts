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
    let o = 0;
    let left = n;
    while (left >= 0x80) {
      out[o++] = (left & 0x7f) | 0x80;
      left >>>= 7;
    }
    out[o++] = left;
    if (n === 0) return out.subarray(0, o);
    if (n < MIN_INPUT) return out.subarray(0, literal(input, 0, n, out, o));

    const { table, words } = this;
    table.fill(-1);
    const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
    const last = n - TAIL;
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
        const at = Math.imul(w, 0x1e35a7bd) >>> HASH_SHIFT;
        table[at] = p;
        words[at] = w;
      }
      i = end;
      pending = end;
    }
    if (pending < n) o = literal(input, pending, n, out, o);
    return out.subarray(0, o);
  }
}

/** Writes `input[from, to)` as one literal element; returns the new output position. */
function literal(input: Uint8Array, from: number, to: number, out: Uint8Array, at: number): number {
  const length = to - from - 1;
  let o = at;
  if (length < 60) {
    out[o++] = length << 2;
  } else if (length < 0x100) {
    out[o++] = 60 << 2;
    out[o++] = length;
  } else if (length < 0x10000) {
    out[o++] = 61 << 2;
    out[o++] = length & 0xff;
    out[o++] = length >>> 8;
  } else if (length < 0x1000000) {
    out[o++] = 62 << 2;
    out[o++] = length & 0xff;
    out[o++] = (length >>> 8) & 0xff;
    out[o++] = length >>> 16;
  } else {
    out[o++] = 63 << 2;
    out[o++] = length & 0xff;
    out[o++] = (length >>> 8) & 0xff;
    out[o++] = (length >>> 16) & 0xff;
    out[o++] = length >>> 24;
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
  // Pieces of 64 while that leaves at least 4, so the last piece can take the short form.
  while (left >= 68) {
    out[o++] = (63 << 2) | 2;
    out[o++] = offset & 0xff;
    out[o++] = offset >>> 8;
    left -= 64;
  }
  if (left > 64) {
    out[o++] = (59 << 2) | 2;
    out[o++] = offset & 0xff;
    out[o++] = offset >>> 8;
    left -= 60;
  }
  if (left <= 11 && offset < 2048) {
    out[o++] = 1 | ((left - 4) << 2) | ((offset >>> 8) << 5);
    out[o++] = offset & 0xff;
    return o;
  }
  out[o++] = 2 | ((left - 1) << 2);
  out[o++] = offset & 0xff;
  out[o++] = offset >>> 8;
  return o;
}
