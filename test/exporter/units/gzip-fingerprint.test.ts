import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  gzipHeadSha256,
  gzipLength,
  gzipTrailerSize,
} from "../../../src/exporter/plan/gzip-fingerprint.js";
import { tempDir } from "../../helpers/temp-dir.js";

const text = Buffer.from(Array.from({ length: 3000 }, (_, i) => `{"n":${i}}\n`).join(""));
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

function gz(name: string, content: Buffer): string {
  const path = join(tempDir(), name);
  writeFileSync(path, content);
  return path;
}

describe("gzip fingerprints", () => {
  it("hash the first decompressed bytes, or say there are fewer", () => {
    const path = gz("a.jsonl.gz", gzipSync(text));
    expect(gzipHeadSha256(path, 4096)).toBe(sha(text.subarray(0, 4096)));
    expect(gzipHeadSha256(path, text.length + 1)).toBeUndefined();
    expect(gzipHeadSha256(gz("b.gz", Buffer.from("not gzip")), 10)).toBeUndefined();
  });

  it("the trailer gives the last member's length only; streaming gives the whole", async () => {
    const two = gz("c.gz", Buffer.concat([gzipSync(text), gzipSync(text.subarray(0, 100))]));
    expect(gzipTrailerSize(two)).toBe(100);
    expect(await gzipLength(two)).toEqual({ length: text.length + 100, whole: true });
    const cut = gzipSync(text);
    const short = await gzipLength(gz("d.gz", cut.subarray(0, cut.length - 30)));
    expect(short.whole).toBe(false);
    // What decompresses before the cut is counted: less than the whole, more than nothing.
    expect(short.length).toBeGreaterThan(0);
    expect(short.length).toBeLessThan(text.length);
    expect(gzipTrailerSize(gz("e.gz", Buffer.from("tiny")))).toBeUndefined();
  });
});
