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
