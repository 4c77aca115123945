// The WebAssembly check of a compact object must never take what CanonicalJsonBytes would not
// take at the same position: each case is read by both, from the same bytes in the module's
// memory (where the check answers) and from a plain buffer (where only the JavaScript reads).
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileWat, WASM_SOURCES } from "../../scripts/compile-wat.js";
import {
  CHUNK_BYTES as CHUNK,
  returnChunk,
  takeChunk,
} from "../../src/exporter/engine/reader-memory.js";
import { CanonicalJsonBytes, NOT_CANONICAL } from "../../src/schema/canonical-json-bytes.js";
import { WASM_CHECK } from "../../src/schema/wasm/canonical-check.js";
import {
  CANONICAL_LINE_WASM,
  CANONICAL_OBJECT_WASM,
} from "../../src/schema/wasm/canonical-modules.js";

interface Read {
  /** What CanonicalJsonBytes returns for the bytes in the module's memory. */
  readonly viaWasm: number;
  /** What it returns for the same bytes in a buffer of their own (JavaScript only). */
  readonly plain: number;
  /** What the module itself answered (-1: left to the JavaScript). */
  readonly answer: number;
}

// `text` then "\n", as a reader hands a line over, read at `offset` in a chunk.
function read(text: string, keyOrder: boolean, offset = 0): Read {
  const bytes = Buffer.from(`${text}\n`);
  const chunk = takeChunk();
  try {
    expect(chunk.buffer).toBe(WASM_CHECK.memory);
    chunk.set(bytes, offset);
    const end = offset + bytes.length - 1;
    const viaWasm = new CanonicalJsonBytes(keyOrder).objectAt(chunk, offset, end);
    const answer = WASM_CHECK.object(chunk.byteOffset + offset, chunk.byteOffset + end, +keyOrder);
    const plain = new CanonicalJsonBytes(keyOrder).objectAt(bytes, 0, bytes.length - 1);
    return {
      viaWasm: viaWasm < 0 ? viaWasm : viaWasm - offset,
      plain,
      answer: answer < 0 ? answer : answer - chunk.byteOffset - offset,
    };
  } finally {
    returnChunk(chunk);
  }
}

// How many of the two modes CanonicalJsonBytes took the text in, and the module answered for.
function expectAgreement(text: string): { taken: number; answered: number } {
  let taken = 0;
  let answered = 0;
  for (const keyOrder of [false, true]) {
    const r = read(text, keyOrder);
    expect(r.viaWasm, `${text} (keyOrder ${keyOrder})`).toBe(r.plain);
    if (r.plain !== NOT_CANONICAL) taken++;
    if (r.answer !== NOT_CANONICAL) {
      expect(r.answer, `${text} (keyOrder ${keyOrder})`).toBe(r.plain);
      answered++;
    }
  }
  return { taken, answered };
}

// Values as telemetry payloads hold them, and the forms at the edges of what the module takes.
const NUMBER_TEXTS = [
  "0",
  "-0",
  "00",
  "01",
  "-01",
  "1",
  "-1",
  "0.5",
  "-0.5",
  "0.05",
  "0.0005",
  "0.00005",
  "0.000001",
  "0.0000001",
  "1.50",
  "1.",
  ".5",
  "-",
  "1e5",
  "1E5",
  "1e-7",
  "1.5e+300",
  "2e308",
  "123456789012345",
  "1234567890123456",
  "12345678901234567890",
  "0.12345678901234",
  "0.123456789012345",
  "1.23456789012345",
  "9007199254740993",
  "-9007199254740993",
  "1.0",
];
const STRING_TEXTS = [
  '""',
  '"a"',
  '"é"',
  '"日本"',
  '"\\""',
  '"\\\\"',
  '"\\n\\t\\r\\b\\f"',
  '"\\/"',
  '"\\u0041"',
  '"\\u00e9"',
  '"\\x"',
  '"a\tb"',
  '"a\u0001"',
  '"\\',
  '"unterminated',
];
const LITERAL_TEXTS = ["true", "false", "null", "tru", "nul", "fals", "True", "nulll"];
const KEYS = [
  "a",
  "b",
  "ab",
  "ba",
  "k0_1",
  "k1_1",
  "",
  "0",
  "1",
  "01",
  "10",
  "4294967295",
  "42949672950",
  "é",
  "\\n",
  "\\u0061",
  "__proto__",
  'a\\"b',
];

const atom = fc.constantFrom(...NUMBER_TEXTS, ...STRING_TEXTS, ...LITERAL_TEXTS);
const key = fc.oneof(
  fc.constantFrom(...KEYS),
  fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s).slice(1, -1)),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    atom,
    fc.array(tie("value"), { maxLength: 4 }).map((items) => `[${items.join(",")}]`),
    tie("object"),
  ),
  object: fc
    .array(fc.tuple(key, tie("value")), { maxLength: 5 })
    .map((members) => `{${members.map(([k, v]) => `"${k}":${v}`).join(",")}}`),
}));
const object = fc
  .array(fc.tuple(key, value), { maxLength: 6 })
  .map((members) => `{${members.map(([k, v]) => `"${k}":${v}`).join(",")}}`);

// A byte of the text changed, cut off or doubled: what a damaged or hand-written line holds.
const damaged = fc
  .tuple(
    object,
    fc.nat(),
    fc.constantFrom(...' ,:{}[]"\\0-.e\n\t\u0000x'),
    fc.constantFrom("set", "cut", "insert"),
  )
  .map(([text, at, c, how]) => {
    // The first byte stays "{": a caller hands over an object's start, nothing else.
    const i = text.length <= 1 ? 1 : 1 + (at % (text.length - 1));
    if (how === "cut") return text.slice(0, i);
    if (how === "insert") return text.slice(0, i) + c + text.slice(i);
    return text.slice(0, i) + c + text.slice(i + 1);
  });

describe("the WebAssembly check of a compact object", () => {
  it("runs the committed modules, assembled from their .wat files (make wasm)", async () => {
    const committed: Record<string, string> = { CANONICAL_OBJECT_WASM, CANONICAL_LINE_WASM };
    for (const { file, name } of WASM_SOURCES) {
      const wat = readFileSync(new URL(`../../src/schema/wasm/${file}`, import.meta.url), "utf8");
      const bytes = await compileWat(file, wat);
      expect(Buffer.from(bytes).toString("base64"), file).toBe(committed[name]);
    }
  });

  it("agrees with CanonicalJsonBytes on generated objects, and answers for most of them", () => {
    let taken = 0;
    let answered = 0;
    fc.assert(
      fc.property(object, (text) => {
        const r = expectAgreement(text);
        taken += r.taken;
        answered += r.answered;
      }),
      { numRuns: 4000 },
    );
    // Of what the JavaScript takes, the module answers for all but the forms it leaves to it.
    expect(answered / taken).toBeGreaterThan(0.8);
  });

  it("agrees on damaged objects", () => {
    fc.assert(
      fc.property(damaged, (text) => void expectAgreement(text)),
      { numRuns: 4000 },
    );
  });

  it("answers for the payloads the Tracker writes, at any offset in a chunk", () => {
    const payloads = [
      { k0_1: 564.852, k1_1: "session 5 note 51hx", k3_1: 94313 },
      { k1_1: [1, 1, 0], k5_0: { os: "macos", version: "1.19.0", gpu: false }, k6_2: null },
      { nested: { a: [{ b: [true, false, null, -0.25, 0, 'é\n"\\'] }] }, "": {}, x: [] },
      {},
    ];
    for (const payload of payloads) {
      const text = JSON.stringify(payload);
      for (const offset of [0, 1, 7, CHUNK - Buffer.byteLength(text) - 1]) {
        for (const keyOrder of [false, true]) {
          const r = read(text, keyOrder, offset);
          expect(r.answer, text).toBe(Buffer.byteLength(text));
          expect(r.viaWasm, text).toBe(Buffer.byteLength(text));
        }
      }
    }
  });

  it("leaves to the JavaScript what only it can decide, with the same outcome", () => {
    const cases: [string, boolean][] = [
      // [text, whether CanonicalJsonBytes with keyOrder takes it]
      ['{"a":-0}', false],
      ['{"a":0.0000001}', false],
      ['{"a":1e+21}', true],
      ['{"a":1234567890123456}', true],
      ['{"a":12345678901234567890}', false],
      ['{"1":1}', false],
      ['{"01":1}', true],
      ['{"a":1,"b":{"a":2},"a":3}', false],
      ['{"a":{"b":1,"b":2}}', false],
      ['{"a":{"b":1},"c":{"b":2}}', true],
      ['{"a":"\\u0041"}', false],
      ['{"a":"\\/"}', false],
      [`{"a":${"[".repeat(62)}${"]".repeat(62)}}`, true],
      [`{"a":${"[".repeat(63)}${"]".repeat(63)}}`, true],
      [`{"a":${"[".repeat(64)}${"]".repeat(64)}}`, false],
      [`{${Array.from({ length: 64 }, (_, k) => `"k${k}":${k}`).join(",")}}`, true],
      [`{${Array.from({ length: 65 }, (_, k) => `"k${k}":${k}`).join(",")}}`, false],
    ];
    for (const [text, taken] of cases) {
      expectAgreement(text);
      expect(read(text, true).plain === text.length, text).toBe(taken);
    }
  });
});
