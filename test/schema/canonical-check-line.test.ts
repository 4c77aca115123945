// The WebAssembly check of a whole line must read it as CanonicalScanner reads it in JavaScript:
// each line is scanned from the module's memory (where the check answers) and from a plain
// buffer (where only the JavaScript reads), and every field the scanner sets must agree.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { returnChunk, takeChunk } from "../../src/exporter/engine/reader-memory.js";
import { CanonicalScanner } from "../../src/schema/canonical-scanner.js";
import { LineHeads } from "../../src/schema/line-heads.js";
import { WASM_CHECK } from "../../src/schema/wasm/canonical-check.js";
import { canonicalTimestamp, REFUSED_TIMESTAMPS } from "../helpers/canonical-timestamps.js";

function fields(
  scanner: CanonicalScanner,
  head: { channel: string; event: string } | undefined,
  base: number,
) {
  if (head === undefined) return undefined;
  return {
    channel: head.channel,
    event: head.event,
    day: scanner.day,
    nanos: scanner.nanos,
    digits: scanner.digits,
    timestampStart: scanner.timestampStart - base,
    payloadStart: scanner.payloadStart - base,
    payloadEnd: scanner.payloadEnd - base,
  };
}

let answered = 0;
let taken = 0;

// `text` between `before` and `after` (a "\n" after it unless `after` says otherwise), scanned
// both ways for output and for counting; the fields the scanner set, which must agree.
// `mustAnswer`: the line's payload is one the check always answers for, so it must answer.
function scanBoth(text: string, before = "", after = "\n", offset = 3, mustAnswer = false) {
  const bytes = Buffer.from(before + text + after);
  const start = Buffer.byteLength(before);
  const end = start + Buffer.byteLength(text);
  let result: ReturnType<typeof fields>;
  for (const forOutput of [true, false]) {
    // One set of heads for both: a line read either way must come back with the same head.
    const heads = new LineHeads();
    const plain = new CanonicalScanner(heads, forOutput);
    const plainHead = plain.scan(bytes, start, end);
    const expected = fields(plain, plainHead, start);
    const chunk = takeChunk();
    try {
      expect(chunk.buffer).toBe(WASM_CHECK.memory);
      // Old bytes after the line, as a reused chunk holds them.
      chunk.fill(0x7d, offset, offset + bytes.length + 64);
      chunk.set(bytes, offset);
      const scanner = new CanonicalScanner(heads, forOutput);
      const head = scanner.scan(chunk, offset + start, offset + end);
      expect(fields(scanner, head, offset + start), text).toEqual(expected);
      expect(head, text).toBe(plainHead);
      const base = chunk.byteOffset + offset;
      if (expected !== undefined) taken++;
      // It reads all but the head's lookup, which stays in JavaScript (a refused channel).
      if (expected !== undefined) {
        const answer = WASM_CHECK.line(base + start, base + end, +forOutput);
        if (answer >= 0) answered++;
        else if (mustAnswer) expect.fail(`left a line to the JavaScript: ${text}`);
      }
    } finally {
      returnChunk(chunk);
    }
    result = expected;
  }
  return result;
}

const line = (ts: string, event = "button.click", payload = '{"a":1}', channel = "user") =>
  `{"schema_version":"telemetry_event_v1","channel":"${channel}","event":"${event}","timestamp":"${ts}","payload":${payload}}`;

const timestamp = canonicalTimestamp;
const name = fc.oneof(
  fc.constantFrom(
    "button.click",
    "é.event",
    "日本",
    "a\\b",
    "tab\there",
    'q\\"q',
    "",
    "x".repeat(300),
    "\u0085",
  ),
  fc.string({ minLength: 1, maxLength: 12 }),
);
const payload = fc.oneof(
  fc.constantFrom(
    '{"a":1}',
    "{}",
    '{"s":"x\\"y","n":[1,2.5,{"b":null}]}',
    '{"a":-0}',
    '{"1":2}',
    '{"a":1,"a":2}',
    '{ "a":1}',
    '{"a":1e+21}',
  ),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ v })),
);

describe("the WebAssembly check of a line", () => {
  it("agrees with CanonicalScanner on generated lines, and answers for most it takes (generated payloads often hold forms it leaves)", () => {
    answered = 0;
    taken = 0;
    fc.assert(
      fc.property(
        timestamp,
        name,
        payload,
        fc.constantFrom("user", "sim_1", "Bad"),
        (ts, event, body, channel) => {
          scanBoth(line(ts, event, body, channel));
        },
      ),
      { numRuns: 3000 },
    );
    expect(answered / taken).toBeGreaterThan(0.5);
  });

  it("agrees on lines with one byte changed, and on lines cut short with the rest after them", () => {
    const text = line("2024-02-29T23:59:59.123456Z", "é.event", '{"s":"a}b","t":{"u":[1,"}"]}}');
    expect(scanBoth(text, "", "\n", 3, true)).toBeDefined();
    for (let i = 0; i < text.length; i++) {
      for (const c of ["x", "9", '"', "\\", "}", "\u0000"]) {
        scanBoth(text.slice(0, i) + c + text.slice(i + 1));
      }
      expect(scanBoth(text.slice(0, i), "", text.slice(i)), String(i)).toBeUndefined();
    }
  });

  it("agrees on every date and time at the edges of the calendar", () => {
    // Real dates at the edges too, and more fraction lengths, beside those the scanner refuses.
    const edges = [
      "2024-02-29T23:59:59.999Z",
      "2000-02-29T00:00:00.000Z",
      "1900-02-29T00:00:00.000Z",
      "0000-02-29T00:00:00.000Z",
      "2024-12-31T00:00:00.000Z",
      "2024-01-01T00:00:00.123456789Z",
      "2024-01-01T00:00:00.1234567891Z",
    ];
    for (const ts of [...edges, ...REFUSED_TIMESTAMPS]) {
      for (let month = 0; month <= 13; month++) {
        const m = String(month).padStart(2, "0");
        scanBoth(line(ts.slice(0, 5) + m + ts.slice(7)), "", "\n", 3, true);
      }
      scanBoth(line(ts), "", "\n", 3, true);
    }
  });
});
