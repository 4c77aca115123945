import { describe, expect, it } from "vitest";
import { ByteBuffer } from "../../../src/exporter/sinks/parquet/byte-buffer.js";

function filled(n: number): ByteBuffer {
  const out = new ByteBuffer();
  out.append(new Uint8Array(n).fill(7));
  return out;
}

describe("ByteBuffer.take", () => {
  it("gives a few hundred bytes memory of about their size, not a 64 KiB step", () => {
    // A row group of one row is about this size; a segment makes thousands of them.
    const bytes = filled(300).take();
    expect(bytes.length).toBe(300);
    expect(bytes.every((b) => b === 7)).toBe(true);
    expect(bytes.buffer.byteLength).toBeGreaterThanOrEqual(300);
    expect(bytes.buffer.byteLength).toBeLessThanOrEqual(375);
  });

  it("gives large bytes room for a quarter more, in 64 KiB steps, and fills a spare that fits", () => {
    const first = filled(1_000_000).take();
    expect(first.buffer.byteLength % 65_536).toBe(0);
    expect(first.buffer.byteLength).toBeGreaterThanOrEqual(1_250_000);
    const spares = [new ArrayBuffer(1000), first.buffer as ArrayBuffer];
    const next = filled(1_200_000).take(spares);
    expect(next.buffer).toBe(first.buffer);
    expect(next.length).toBe(1_200_000);
    expect(spares.length).toBe(1);
  });
});
