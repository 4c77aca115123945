import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CanonicalScanner } from "../../src/schema/canonical-scanner.js";
import { scanCanonicalLine } from "../../src/schema/index.js";
import { parseEventWithSchema } from "../../src/schema/parse-event.js";
import { formatParts } from "../../src/schema/timestamp-parts.js";
import { mostly } from "../helpers/producer-lines.js";

const number = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1e21, 1e-7, 123456789012345680, 2 ** 53, 0.1, 1.5e300),
);
const text = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[a-zA-Z0-9 é😀_.:-]{0,8}$/u) },
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '"',
    "\\",
    "/",
    "\n\t\r\b\f",
    "\u0001",
    "\u007f",
    "\u0085",
    "\u2028",
    "é😀",
    "__proto__",
    "0",
    "12",
    "-1",
    "1.5",
  ),
);
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    number,
    text,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(text, tie("value"), { maxKeys: 4 }),
  ),
})).value;

const event = fc.record({
  schema_version: mostly(fc.constant("telemetry_event_v1"), fc.constant("telemetry_event_v2")),
  channel: mostly(
    fc.constantFrom("user", "sim-1", "a_b"),
    fc.constantFrom("User", "", "x".repeat(65)),
  ),
  event: mostly(
    fc.stringMatching(/^[a-zA-Z .:é😀]{1,12}$/u),
    fc.constantFrom("e\u0007", "e\u0085", "a\\b", 'q"', "", "e".repeat(201)),
  ),
  timestamp: mostly(
    fc.constantFrom("2025-03-01T10:00:00.000Z", "2025-03-01T10:00:00.123456Z"),
    fc.constantFrom("2025-02-30T10:00:00.000Z", "2025-03-01T10:00:00Z", "2025-03-01T24:00:00.000Z"),
  ),
  payload: fc.dictionary(text, json, { maxKeys: 5 }),
});

// Text edits a hand-written producer might make; each may or may not keep the line canonical.
const edit = fc.constantFrom(
  (t: string) => t,
  (t: string) => t,
  (t: string) => t,
  (t: string) => t,
  (t: string) => t.replace(/:(-?\d+)([,}\]])/, ":$1.0$2"),
  (t: string) => t.replace(/:(\d+)([,}\]])/, ":0$1$2"),
  (t: string) => t.replace(/:(\d)(\d*)([,}\]])/, ":$1e$2$3"),
  (t: string) => t.replace('"payload":{', '"payload":{"k":1,"k":2,'),
  (t: string) => t.replace('"payload":{', '"payload":{"1":1,'),
  (t: string) => t.replace('"payload":{', '"payload":{"s":"a\\/b",'),
  (t: string) => t.replace('"payload":{', '"payload":{"s":"\\u0041",'),
  (t: string) => t.replace('"payload":{', '"payload": {'),
  (t: string) => t.replace('"payload":{', '"payload":{"n":-0,'),
  (t: string) => t.replace('"payload":{', '"payload":{"n":1E+21,'),
  (t: string) => t.replace('"payload":{', '"payload":{"n":1e400,'),
  (t: string) => t.replace('"payload":{', '"payload":{"n":12345678901234567890,'),
  (t: string) => t.replace('"payload":{', '"payload":{"s":"\u0001",'),
  (t: string) => `${t.slice(0, -1)},"extra":1}`,
  (t: string) => `${t}\r`,
  (t: string) => `${t} `,
  (t: string) => t.replace('"channel"', '"channel" '),
);

describe("scanCanonicalLine (the unparsed fast path) against the parser", () => {
  it("accepts only lines that are valid events and exactly JSON.stringify of what they parse to", () => {
    let accepted = 0;
    fc.assert(
      fc.property(event, edit, (value, change) => {
        const line = change(JSON.stringify(value));
        const fields = scanCanonicalLine(line);
        if (fields === undefined) return;
        accepted++;
        const parsed = parseEventWithSchema(JSON.parse(line));
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        expect(JSON.stringify(parsed.event)).toBe(line);
        expect(fields).toMatchObject({
          channel: parsed.event.channel,
          event: parsed.event.event,
          timestamp: parsed.event.timestamp,
        });
        expect(line.slice(fields.payloadStart, fields.payloadEnd)).toBe(
          JSON.stringify(parsed.event.payload),
        );
      }),
      { numRuns: 5000 },
    );
    expect(accepted).toBeGreaterThan(200);
  });

  it("when only counting, also takes repeated and integer-like keys, and only valid events", () => {
    let extra = 0;
    fc.assert(
      fc.property(event, edit, (value, change) => {
        const line = change(JSON.stringify(value));
        const bytes = Buffer.from(line, "utf8");
        const counting = new CanonicalScanner(undefined, false);
        const head = counting.scan(bytes, 0, bytes.length);
        const canonical = new CanonicalScanner().scan(bytes, 0, bytes.length);
        // Everything the output scanner takes, the counting one takes too.
        if (canonical !== undefined) expect(head).toBeDefined();
        if (head === undefined) return;
        if (canonical === undefined) extra++;
        const parsed = parseEventWithSchema(JSON.parse(line));
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        expect(head).toMatchObject({ channel: parsed.event.channel, event: parsed.event.event });
        expect(formatParts(counting.day, counting.nanos, counting.digits)).toBe(
          parsed.event.timestamp,
        );
        const payload = bytes.subarray(counting.payloadStart, counting.payloadEnd).toString();
        expect(JSON.parse(payload)).toEqual(parsed.event.payload);
      }),
      { numRuns: 5000 },
    );
    expect(extra).toBeGreaterThan(20);
  });

  it("accepts what the Tracker writes when the payload is plain", () => {
    const line =
      '{"schema_version":"telemetry_event_v1","channel":"user","event":"Button Clicked","timestamp":"2025-03-01T10:00:00.123456Z","payload":{"a":[1,-2.5,"x\\n",true,null,{}],"b":{"c":1e+21},"__proto__":{}}}';
    expect(scanCanonicalLine(line)).toMatchObject({
      channel: "user",
      event: "Button Clicked",
      payloadEnd: line.length - 1,
    });
  });
});
