import { MessageChannel } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { movable, segmentBuffer } from "../../../src/exporter/engine/segment-memory.js";

describe("segmentBuffer", () => {
  it("gives memory that the next segment of about the same size can reuse", () => {
    // Segments are cut at line ends: sizes a few bytes apart, larger or smaller.
    const first = segmentBuffer(4_194_517, undefined, true);
    expect(first.length).toBeGreaterThanOrEqual(4_194_517);
    for (const next of [4_194_633, 4_194_300, 4_194_517]) {
      const reused = segmentBuffer(next, first.buffer, true);
      expect(reused.buffer).toBe(first.buffer);
      expect(reused.length).toBeGreaterThanOrEqual(next);
    }
  });

  it("allocates anew when the spare is too small, or there is none", () => {
    const small = segmentBuffer(1000, undefined, false);
    const larger = segmentBuffer(200_000, small.buffer, false);
    expect(larger.buffer).not.toBe(small.buffer);
    expect(larger.length).toBeGreaterThanOrEqual(200_000);
    expect(segmentBuffer(0, undefined, true).length).toBeGreaterThan(0);
  });

  it("gives shared memory, which a postMessage passes as it is: movable leaves it out", () => {
    expect(segmentBuffer(1000, undefined, false).buffer).toBeInstanceOf(ArrayBuffer);
    const fresh = segmentBuffer(1000, undefined, true);
    expect(fresh.buffer).toBeInstanceOf(SharedArrayBuffer);
    const own = new ArrayBuffer(8);
    expect(movable([fresh.buffer, own])).toEqual([own]);
    // Passed without a transfer, the receiver sees the same memory: nothing is detached.
    const { port1, port2 } = new MessageChannel();
    const seen = new Promise<Uint8Array>((resolve) => {
      port2.once("message", (view: Uint8Array) => resolve(view));
    });
    port1.postMessage(new Uint8Array(fresh.buffer), movable([fresh.buffer]));
    return seen.then((view) => {
      fresh[0] = 42;
      expect(view[0]).toBe(42);
      expect(fresh.buffer.byteLength).toBeGreaterThan(0);
      port1.close();
    });
  });
});
