import { describe, expect, it } from "vitest";
import { segmentBuffer } from "../../../src/exporter/engine/segment-memory.js";

describe("segmentBuffer", () => {
  it("gives memory that the next segment of about the same size can reuse", () => {
    // Segments are cut at line ends: sizes a few bytes apart, larger or smaller.
    const first = segmentBuffer(4_194_517);
    expect(first.length).toBeGreaterThanOrEqual(4_194_517);
    for (const next of [4_194_633, 4_194_300, 4_194_517]) {
      const reused = segmentBuffer(next, first.buffer as ArrayBuffer);
      expect(reused.buffer).toBe(first.buffer);
      expect(reused.length).toBeGreaterThanOrEqual(next);
    }
  });

  it("allocates anew when the spare is too small, or there is none", () => {
    const small = segmentBuffer(1000);
    const larger = segmentBuffer(200_000, small.buffer as ArrayBuffer);
    expect(larger.buffer).not.toBe(small.buffer);
    expect(larger.length).toBeGreaterThanOrEqual(200_000);
    expect(segmentBuffer(0).length).toBeGreaterThan(0);
  });
});
