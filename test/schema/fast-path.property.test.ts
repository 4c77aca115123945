import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastParseEvent } from "../../src/schema/fast-parse.js";
import { MAX_PAYLOAD_DEPTH, parseEvent, parseEventFromText } from "../../src/schema/index.js";
import { parseEventWithSchema } from "../../src/schema/parse-event.js";

const valid = {
  schema_version: "telemetry_event_v1",
  channel: "user",
  event: "Button Clicked",
  timestamp: "2025-03-01T10:00:00.000Z",
  payload: { a: 1 },
};

const oddValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    undefined,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    -0,
    1e308,
    "\ud800",
    "a\udc00b",
    "😀",
    new Date(0),
    [undefined],
    Object.create(null),
    new Map(),
    () => 1,
    10n,
  ),
);

const field = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: oddValue });

const timestamp = fc.oneof(
  fc.constantFrom(
    "2025-03-01T10:00:00.000Z",
    "2025-03-01T10:00:00.123456Z",
    "2025-03-01T10:00:00.123456789Z",
    "2025-03-01T10:00:00Z",
    "2025-03-01T10:00:00+02:00",
    "2025-03-01T10:00:00",
    "2025-02-29T10:00:00.000Z",
    "2024-02-29T10:00:00.000Z",
    "2025-03-01T24:00:00.000Z",
    "2025-03-01T10:60:00.000Z",
    "2025-03-01T10:00:00.0000Z",
    "0000-01-01T00:00:00.000Z",
    "2025-03-01T10:00:00.123456+00:00",
    "2025-03-01T10:00:00-00:00",
    "2025-03-01T00:30:00.5+01:00",
    "2025-03-01T10:00:00.123456789-05:30",
    "2025-03-01 10:00:00,25+0100",
    "2025-03-01t10:00z",
    "2025-03-01T10:00:00+14",
    "0000-01-01T00:30:00+01:00",
    "9999-12-31T23:00:00-02:00",
    "2025-03-01T10:00:00+24:00",
  ),
  // Python's datetime.isoformat() with an offset, and other producers' fraction widths.
  fc
    .tuple(
      fc.date({
        noInvalidDate: true,
        min: new Date("0001-01-02T00:00:00Z"),
        max: new Date("9999-12-30T23:59:59Z"),
      }),
      fc.integer({ min: 0, max: 9 }),
      fc.constantFrom("Z", "+00:00", "-00:00", "+02:00", "-05:30", "+0545", "-11"),
    )
    .map(([d, digits, zone]) => {
      const iso = d.toISOString();
      const fraction = digits === 0 ? "" : `.${`${iso.slice(20, 23)}123456`.slice(0, digits)}`;
      return `${iso.slice(0, 19)}${fraction}${zone}`;
    }),
  fc
    .date({
      noInvalidDate: true,
      min: new Date("0001-01-01T00:00:00Z"),
      max: new Date("9999-12-31T23:59:59Z"),
    })
    .map((d) => d.toISOString()),
);

const deep = fc.integer({ min: 995, max: 1003 }).map((n) => {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = [v];
  return { d: v };
});

const event = fc
  .record(
    {
      schema_version: field(fc.constantFrom("telemetry_event_v1", "telemetry_event_v2")),
      channel: field(
        fc.constantFrom("user", "sim-1", "a_b", "User", "../x", "", "a".repeat(64), "a".repeat(65)),
      ),
      event: field(
        fc.oneof(
          fc.string({ maxLength: 210 }),
          fc.constantFrom("e\u0007", "e\u0085", "ok", "😀", "e\ud800"),
        ),
      ),
      timestamp: field(timestamp),
      payload: field(
        fc.oneof(
          fc.dictionary(fc.string({ maxLength: 5 }), oddValue, { maxKeys: 4 }),
          deep,
          fc.constant(JSON.parse('{"__proto__":{"x":1}}')),
        ),
      ),
    },
    { requiredKeys: ["schema_version", "channel", "event", "timestamp", "payload"] },
  )
  .chain((record) =>
    // Other top-level fields, as producers add them: index-like keys and `__proto__` included.
    fc
      .dictionary(
        fc.constantFrom("extra", "host", "pid", "__proto__", "7", "0", "schema"),
        field(fc.jsonValue({ maxDepth: 2 })),
        { maxKeys: 4 },
      )
      .map((extras) => {
        const all: [string, unknown][] = [...Object.entries(record), ...Object.entries(extras)];
        return all;
      }),
  )
  .chain((entries) =>
    // Shuffle key order: the fast path must handle any order, or defer.
    fc.shuffledSubarray(entries, { minLength: entries.length }).map((shuffled) => {
      const out: Record<string, unknown> = {};
      for (const [key, value] of shuffled) {
        Object.defineProperty(out, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }),
  );

describe("fast path vs zod schema (differential)", () => {
  it("gives the same result for any value: same events (same key order), same issues", () => {
    let fastHits = 0;
    fc.assert(
      fc.property(fc.oneof(event, fc.constant(valid), oddValue), (value) => {
        const hit = fastParseEvent(value) !== undefined;
        if (hit) fastHits++;
        const fast = parseEvent(value);
        const slow = parseEventWithSchema(value);
        expect(fast).toEqual(slow);
        if (!fast.ok || !slow.ok) return;
        expect(Object.keys(fast.event)).toEqual(Object.keys(slow.event));
        // Only JSON takes the fast path (the schema lets any value through in other fields).
        if (hit) expect(JSON.stringify(fast.event)).toBe(JSON.stringify(slow.event));
      }),
      { numRuns: 3000 },
    );
    // The comparison means something only if the fast path actually ran often.
    expect(fastHits).toBeGreaterThan(300);
  });

  it("refuses a lone surrogate in another top-level field, wherever the field is", () => {
    const { payload, ...core } = valid;
    for (const value of [
      { host: "a\udc00b", ...valid },
      { ...core, host: "\ud800", payload },
      { ...valid, host: ["\ud800"] },
    ]) {
      expect(parseEvent(value)).toEqual(parseEventWithSchema(value));
      expect(parseEvent(value).ok).toBe(false);
    }
  });

  it("agrees on JSON text read back from lines", () => {
    fc.assert(
      fc.property(event, (value) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(JSON.stringify(value) ?? "null");
        } catch {
          return;
        }
        expect(parseEvent(parsed)).toEqual(parseEventWithSchema(parsed));
      }),
      { numRuns: 2000 },
    );
  });

  it("agrees when the fast path trusts the line text (escapes, overflowing numbers, depth)", () => {
    const mutate = fc.constantFrom(
      (t: string) => t,
      (t: string) => t.replace(/(\d+)/, "1e400"),
      (t: string) => t.replace(/(\d+)/, "-1E+999"),
      (t: string) => t.replace(/(\d+)/, "9".repeat(310)),
      (t: string) => t.replace(/(\d+)/, "1e30"),
      (t: string) => t.replace('"payload":{', '"payload":{"s":"\\ud800",'),
      (t: string) => t.replace('"payload":{', '"payload":{"\\udc00":1,'),
      (t: string) => t.replace('"payload":{', '"payload":{"ok":"\\u00e9\\ud83d\\ude00",'),
      (t: string) => t.replace('"payload":{', '"payload":{"p":"C:\\\\users",'),
      (t: string) =>
        t.replace(
          '"payload":{',
          `"payload":{"d":${"[".repeat(MAX_PAYLOAD_DEPTH - 1)}${"]".repeat(MAX_PAYLOAD_DEPTH - 1)},`,
        ),
      (t: string) =>
        t.replace(
          '"payload":{',
          `"payload":{"d":${"[".repeat(MAX_PAYLOAD_DEPTH)}${"]".repeat(MAX_PAYLOAD_DEPTH)},`,
        ),
      // The same, in another top-level field than the payload.
      (t: string) => t.replace(/}$/, ',"host":"web-1","pid":4242}'),
      (t: string) => t.replace(/}$/, ',"x":1e400}'),
      (t: string) => t.replace(/}$/, ',"x":"\\ud800"}'),
      (t: string) => t.replace(/}$/, ',"__proto__":{"a":[1,"\\u00e9"]}}'),
      (t: string) =>
        t.replace(/}$/, `,"d":${"[".repeat(MAX_PAYLOAD_DEPTH)}${"]".repeat(MAX_PAYLOAD_DEPTH)}}`),
      (t: string) =>
        t.replace(
          /}$/,
          `,"d":${"[".repeat(MAX_PAYLOAD_DEPTH - 1)}${"]".repeat(MAX_PAYLOAD_DEPTH - 1)}}`,
        ),
    );
    let fastHits = 0;
    fc.assert(
      fc.property(
        fc.constant(valid),
        fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
        mutate,
        (base, payload, change) => {
          const text = change(JSON.stringify({ ...base, payload: { n: 5, ...payload } }));
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch {
            return;
          }
          const fast = parseEventFromText(value, text);
          if (fast.ok) fastHits++;
          expect(fast).toEqual(parseEventWithSchema(value));
        },
      ),
      { numRuns: 1500 },
    );
    expect(fastHits).toBeGreaterThan(100);
  });
});
