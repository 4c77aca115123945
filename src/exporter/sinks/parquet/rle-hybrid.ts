import type { ByteBuffer } from "./byte-buffer.js";

/**
 * Length of the run of equal values starting at `from`. Counted in the loop, so nothing is left
 * to compute after it: a long first run has V8 optimize the loop before any call has returned,
 * and code after the loop, never run, was thrown away at every such call (16 times in a
 * Parquet export of 1M events).
 */
function runLength(values: Uint32Array, from: number, count: number): number {
  const value = values[from];
  let length = 1;
  for (let end = from + 1; end < count && values[end] === value; end++) length++;
  return length;
}

/**
 * Writes `values[0, count)` in Parquet's RLE / bit-packing hybrid at `bitWidth` (0 to 24): a
 * run of 8 or more equal values as one RLE run, other values bit-packed in groups of 8 (the
 * last group padded with zeros, which readers stop short of). Returns the bytes written.
 */
export function writeRleHybrid(
  out: ByteBuffer,
  values: Uint32Array,
  count: number,
  bitWidth: number,
): number {
  const start = out.length;
  const valueBytes = (bitWidth + 7) >> 3;
  let i = 0;
  while (i < count) {
    const run = runLength(values, i, count);
    if (run >= 8) {
      out.varint(run * 2);
      out.reserve(valueBytes);
      const value = values[i] as number;
      for (let b = 0; b < valueBytes; b++) out.bytes[out.length++] = (value >>> (8 * b)) & 0xff;
      i += run;
      continue;
    }
    // Groups of 8 until one starts a run worth an RLE run of its own (or the values end).
    let end = i + 8;
    while (end < count && runLength(values, end, count) < 8) end += 8;
    const groups = (end - i) >> 3;
    out.varint(groups * 2 + 1);
    out.reserve(groups * bitWidth);
    const { bytes } = out;
    let at = out.length;
    let buffer = 0;
    let bits = 0;
    for (let k = i; k < end; k++) {
      buffer |= (k < count ? (values[k] as number) : 0) << bits;
      bits += bitWidth;
      while (bits >= 8) {
        bytes[at++] = buffer & 0xff;
        buffer >>>= 8;
        bits -= 8;
      }
    }
    out.length = at;
    i = end;
  }
  return out.length - start;
}
