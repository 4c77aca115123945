import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatCount } from "../../src/exporter/report/present/format.js";

describe("formatCount", () => {
  it("writes what toLocaleString('en-US') writes, for every count and anything else", () => {
    for (const n of [0, 7, 999, 1000, 12_345, 999_999, 1_000_000, Number.MAX_SAFE_INTEGER]) {
      expect(formatCount(n)).toBe(n.toLocaleString("en-US"));
    }
    for (const n of [-1, -1234, 1.5, 1234.5678, 2 ** 60, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(formatCount(n)).toBe(n.toLocaleString("en-US"));
    }
    fc.assert(
      fc.property(fc.oneof(fc.nat(), fc.maxSafeNat(), fc.double()), (n) => {
        expect(formatCount(n)).toBe(n.toLocaleString("en-US"));
      }),
      { numRuns: 2000 },
    );
  });
});
