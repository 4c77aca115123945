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
          const compact = Buffer.from(json.edits.text().subarray(0, json.edits.length)).toString();
          expect(compact, text).toBe(JSON.stringify(JSON.parse(text)));
        }
      }
    }
    expect(refused).toBe(KEYS.length * gaps.length * gaps.length);
  });
});

describe("CanonicalJsonBytes: escapes JSON.stringify does not write, in loose mode", () => {
  // The text a loose read gives once edited, or undefined when it is refused.
  function edited(text: string): string | undefined {
    const json = new CanonicalJsonBytes();
    const bytes = Buffer.from(text);
    const end = json.objectAt(bytes, 0, bytes.length, true);
    if (end !== bytes.length) return undefined;
    return json.edited
      ? Buffer.from(json.edits.text().subarray(0, json.edits.length)).toString()
      : text;
  }

  it("writes each character as JSON.stringify does: itself, or its short or lower-case escape", () => {
    for (const value of [
      "caf\\u00e9",
      "caf\\u00E9",
      "\\u6771\\u4eac",
      "\\ud83d\\ude80 \\uD83D\\uDE80",
      "a\\/b",
      "\\u0022 \\u005c \\u005C",
      "\\u000a \\u0009 \\u0008 \\u000c \\u000D",
      "\\u0000 \\u001F \\u007f \\u0080",
      "\\u2028\\u2029",
      "x\\u0041y",
    ]) {
      const text = `{"k": "${value}", "n": ["${value}"]}`;
      expect(edited(text), text).toBe(JSON.stringify(JSON.parse(text)));
    }
  });

  it("refuses lone surrogates and malformed escapes, which the parser judges", () => {
    for (const value of [
      "\\ud800",
      "\\ud800x",
      "\\udc00",
      "\\ud83d\\u0041",
      "\\ude80\\ud83d",
      "\\u12",
      "\\u12g4",
      "\\x41",
    ]) {
      expect(edited(`{"k":"${value}"}`), value).toBeUndefined();
    }
  });

  it("refuses escapes in keys where keys are compared, and takes them when only counted", () => {
    expect(edited('{"\\u0061":1,"a":2}')).toBeUndefined();
    expect(edited('{"\\u0031":1}')).toBeUndefined();
    // Counting (no key order, nothing written): the text is taken as valid.
    const counted = Buffer.from('{"caf\\u00e9":1,"\\u0061":{"a":"\\u00e9"}}');
    expect(new CanonicalJsonBytes(false).objectAt(counted, 0, counted.length, true)).toBe(
      counted.length,
    );
    expect(edited('{"caf\\u00e9":1}')).toBeUndefined();
  });
});
