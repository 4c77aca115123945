import { describe, expect, it } from "vitest";
import { CanonicalJsonBytes, NOT_CANONICAL } from "../../src/schema/canonical-json-bytes.js";

// Keys alike in length and in their second and last bytes, and keys that are not.
const KEYS = [
  "",
  "a",
  "b",
  "aa",
  "ab",
  "ba",
  "k0_1",
  "k1_1",
  "k0_2",
  "k10_1",
  "é",
  "\\n",
  "__proto__",
];

// Whether JSON.stringify of the parsed text writes the text again.
function roundTrips(text: string): boolean {
  return JSON.stringify(JSON.parse(text)) === text;
}

describe("CanonicalJsonBytes", () => {
  it("refuses an object with a repeated key wherever it repeats, and takes distinct keys", () => {
    const json = new CanonicalJsonBytes();
    let refused = 0;
    for (const a of KEYS) {
      for (const b of KEYS) {
        for (const c of KEYS) {
          const text = `{"${a}":1,"${b}":[2],"${c}":{"${a}":3,"${c}":4}}`;
          const bytes = Buffer.from(text);
          const end = json.objectAt(bytes, 0, bytes.length);
          expect(end === bytes.length, text).toBe(roundTrips(text));
          if (end === NOT_CANONICAL) refused++;
        }
      }
    }
    expect(refused).toBeGreaterThan(KEYS.length * KEYS.length);
  });
});

describe("CanonicalJsonBytes in loose mode", () => {
  // An empty key's mark once came from the byte after its closing quote, which loose mode lets be
  // whitespace: `{"":1,"" :2}` then passed as `{"":1,"":2}`, a payload that parses to `{"":2}`.
  it("refuses a repeated key whatever whitespace follows either one", () => {
    const json = new CanonicalJsonBytes();
    const gaps = ["", " ", "\t", "\n", "\r", "  "];
    let refused = 0;
    for (const key of KEYS) {
      for (const a of gaps) {
        for (const b of gaps) {
          const text = `{"${key}"${a}:1, "${key}"${b}:{"${key}"${b}:2,"${key}"${a}:3}}`;
          const bytes = Buffer.from(text);
          const end = json.objectAt(bytes, 0, bytes.length, true);
          if (end === NOT_CANONICAL) {
            refused++;
            continue;
          }
          // Accepted: the text without its whitespace must be what stringify writes.
          const compact = Buffer.from(json.gaps.text().subarray(0, json.gaps.length)).toString();
          expect(compact, text).toBe(JSON.stringify(JSON.parse(text)));
        }
      }
    }
    expect(refused).toBe(KEYS.length * gaps.length * gaps.length);
  });
});
