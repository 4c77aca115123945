import { describe, expect, it } from "vitest";
import { HASH_START, hashBytes, LineHeads } from "../../src/schema/line-heads.js";

// A line's channel and event name as the scanners give them: the bytes, and where each is.
function head(channel: string, event: string) {
  const text = `${channel}","event":"${event}`;
  const buf = Buffer.from(`xx${text}xx`);
  const cs = 2;
  const ce = cs + Buffer.byteLength(channel);
  const es = ce + '","event":"'.length;
  const ee = es + Buffer.byteLength(event);
  const hash = hashBytes(hashBytes(HASH_START, buf, cs, ce), buf, es, ee);
  return { buf, cs, ce, es, ee, hash };
}

describe("LineHeads", () => {
  it("finds each head by its bytes, even when two heads share a hash, in any order", () => {
    const heads = new LineHeads();
    const a = head("user", "page.viewed");
    const b = head("user", "page.saved");
    const c = head("system", "page.viewed");
    // The same hash for all three: only the bytes can tell them apart.
    const found = (h: typeof a) => heads.find(a.hash, h.buf, h.cs, h.ce, h.es, h.ee);
    for (const order of [
      [a, b, c, a, c, b, b, a],
      [c, c, a, b, a, c],
    ]) {
      for (const h of order) {
        const got = found(h);
        expect([got?.channel, got?.event]).toEqual([
          h.buf.subarray(h.cs, h.ce).toString(),
          h.buf.subarray(h.es, h.ee).toString(),
        ]);
      }
    }
    expect(found(a)).toBe(found(a));
  });

  it("refuses what the schema refuses, whatever was found before", () => {
    const heads = new LineHeads();
    const good = head("user", "e");
    expect(heads.find(good.hash, good.buf, good.cs, good.ce, good.es, good.ee)?.event).toBe("e");
    const bad = head("User Channel", "e");
    expect(heads.find(good.hash, bad.buf, bad.cs, bad.ce, bad.es, bad.ee)).toBeUndefined();
  });
});
