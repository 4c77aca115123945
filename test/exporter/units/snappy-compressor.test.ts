import fc from "fast-check";
import { snappyUncompress } from "hyparquet";
import { describe, expect, it } from "vitest";
import { SnappyCompressor } from "../../../src/exporter/sinks/parquet/snappy-compressor.js";

// Decodes with the reader's own Snappy (an independent implementation), sized by the preamble.
function roundTrip(compressor: SnappyCompressor, input: Uint8Array): Uint8Array {
  const compressed = compressor.compress(input).slice();
  let length = 0;
  let shift = 0;
  let at = 0;
  for (;;) {
    const byte = compressed[at++] as number;
    length += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) break;
  }
  expect(length).toBe(input.length);
  const output = new Uint8Array(length);
  snappyUncompress(compressed, output);
  return output;
}

// toEqual on megabytes of bytes takes seconds; a byte comparison does not.
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

/** Bytes from a small alphabet, with runs and copies of earlier bytes at every distance. */
const repetitive = fc
  .record({
    seed: fc.uint8Array({ minLength: 1, maxLength: 64 }),
    steps: fc.array(
      fc.record({ distance: fc.nat({ max: 70_000 }), length: fc.nat({ max: 300 }) }),
      { maxLength: 60 },
    ),
  })
  .map(({ seed, steps }) => {
    const out: number[] = [...seed];
    for (const { distance, length } of steps) {
      const from = Math.max(0, out.length - 1 - distance);
      for (let k = 0; k < length; k++) out.push(out[from + k] as number);
      out.push(seed[length % seed.length] as number);
    }
    return Uint8Array.from(out);
  });

describe("SnappyCompressor", () => {
  it("round-trips through an independent decoder: empty, tiny, runs, random and repetitive bytes", () => {
    const compressor = new SnappyCompressor();
    const fixed = [
      new Uint8Array(0),
      Uint8Array.of(7),
      new Uint8Array(15).fill(1),
      new Uint8Array(200_000).fill(9),
      Uint8Array.from({ length: 100_000 }, (_, k) => (k * 7919) % 251),
    ];
    for (const input of fixed) expect(same(roundTrip(compressor, input), input)).toBe(true);
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 5000 }), repetitive), (input) => {
        expect(same(roundTrip(compressor, input), input)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("compresses repetitive data (copies are found) and survives a buffer reused across sizes", () => {
    const compressor = new SnappyCompressor();
    const line = new TextEncoder().encode('{"channel":"user","event":"page.viewed","n":12}\n');
    const big = new Uint8Array(line.length * 20_000);
    for (let k = 0; k < 20_000; k++) big.set(line, k * line.length);
    expect(compressor.compress(big).length).toBeLessThan(big.length / 10);
    expect(same(roundTrip(compressor, big), big)).toBe(true);
    // A short input after a long one: the reused table and buffer hold nothing stale.
    expect(same(roundTrip(compressor, line), line)).toBe(true);
    expect(same(roundTrip(compressor, big.subarray(3, 70_003)), big.subarray(3, 70_003))).toBe(
      true,
    );
  });

  it("writes literals of every length form (the length in the tag, or in 1, 2 or 3 bytes)", () => {
    const compressor = new SnappyCompressor();
    let state = 1;
    // Incompressible bytes: one literal each.
    const noise = (n: number) =>
      Uint8Array.from({ length: n }, () => {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        return state >>> 24;
      });
    for (const n of [59, 60, 61, 255, 256, 257, 65_536, 65_537, 70_000]) {
      const input = noise(n);
      expect(same(roundTrip(compressor, input), input)).toBe(true);
    }
  });
});
