// Generated events for the schema agreement property test, biased to where parsers differ:
// timestamps a little past their ranges, names whose length or characters count differently on
// each side, payloads at the depth limit, and what the JSON Schema cannot say (docs/schema.md).
import fc from "fast-check";
import { MAX_PAYLOAD_DEPTH } from "../../src/schema/index.js";
import { timestampStringProblem } from "../../src/schema/timestamp-problem.js";

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const TERMINATORS = ["\n", "\r", "\u0085", "\u2028"];

/** An integer in its range mostly, and now and then just past it. */
function inRangeMostly(min: number, max: number, past: number[]): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.integer({ min, max }) },
    { weight: 2, arbitrary: fc.constantFrom(min, max) },
    { weight: 1, arbitrary: fc.constantFrom(...past) },
  );
}

// Timestamps from parts, each one a little past its range now and then.
const timestamp = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .record({
        year: fc.oneof(
          {
            weight: 5,
            arbitrary: fc.constantFrom(
              "0000",
              "9999",
              "2024",
              "2025",
              "1900",
              "2000",
              "2100",
              "0004",
            ),
          },
          { weight: 5, arbitrary: fc.integer({ min: 0, max: 9999 }).map((y) => pad(y, 4)) },
          { weight: 1, arbitrary: fc.constantFrom("10000", "٢٠٢٥", "２０２５", "999") },
        ),
        month: inRangeMostly(1, 12, [0, 13]),
        day: fc.oneof(inRangeMostly(1, 28, [0, 32]), fc.constantFrom(29, 30, 31)),
        hour: inRangeMostly(0, 23, [24]),
        minute: inRangeMostly(0, 59, [60]),
        second: fc.option(inRangeMostly(0, 59, [60]), { freq: 6 }),
        fraction: fc.option(fc.tuple(fc.constantFrom(".", ","), fc.integer({ min: 0, max: 11 }))),
        separator: fc.constantFrom("T", "T", "T", "T", "t", " ", "x"),
        zone: fc.oneof(
          fc.constantFrom("", "Z", "Z", "Z", "z", "+00:00", "-00:00", "+0000", "+14", "Z ", "UTC"),
          fc
            .tuple(
              fc.constantFrom("+", "-"),
              inRangeMostly(0, 23, [24, 25]),
              inRangeMostly(0, 59, [60, 61]),
              fc.constantFrom(":", ":", ":", ""),
            )
            .map(([sign, h, m, colon]) => `${sign}${pad(h)}${colon}${pad(m)}`),
        ),
        trailing: fc.oneof(
          { weight: 9, arbitrary: fc.constant("") },
          fc.constantFrom(...TERMINATORS),
        ),
      })
      .map((t) => {
        let text = `${t.year}-${pad(t.month)}-${pad(t.day)}${t.separator}${pad(t.hour)}:${pad(t.minute)}`;
        if (t.second !== null) {
          text += `:${pad(t.second)}`;
          if (t.fraction !== null)
            text += `${t.fraction[0]}${"123456789012".slice(0, t.fraction[1])}`;
        }
        return `${text}${t.zone}${t.trailing}`;
      }),
  },
  // Real instants in the forms producers write.
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.date({
          noInvalidDate: true,
          min: new Date("0000-01-01T00:00:00Z"),
          max: new Date("9999-12-31T23:59:59Z"),
        }),
        fc.integer({ min: 0, max: 9 }),
        fc.constantFrom("T", "t", " "),
        fc.constantFrom("Z", "z", "", "+00:00", "-05:30", "+0545", "+14", "-23:59"),
      )
      .map(([d, digits, sep, zone]) => {
        const iso = d.toISOString();
        const fraction = digits === 0 ? "" : `.${`${iso.slice(20, 23)}987654`.slice(0, digits)}`;
        return `${iso.slice(0, 10)}${sep}${iso.slice(11, 19)}${fraction}${zone}`;
      }),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
);

const channel = fc.oneof(
  { weight: 10, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,63}$/) },
  {
    weight: 2,
    arbitrary: fc.string({
      unit: fc.constantFrom("a", "z", "0", "_", "-", "A", ".", "/", "\\", " ", "é", "\n", "\u0000"),
      maxLength: 66,
    }),
  },
  { weight: 1, arbitrary: fc.integer({ min: 62, max: 66 }).map((n) => "a".repeat(n)) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,10}$/), fc.constantFrom(...TERMINATORS))
      .map(([c, t]) => c + t),
  },
);

// Characters where counting and class membership differ between sides.
const nameUnit = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom("a", "Z", " ", ".", ":", "/", "é", "日", "😀", "\u00a0"),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "\u0000",
      "\u0007",
      "\t",
      "\n",
      "\r",
      "\u001f",
      "\u007f",
      "\u0080",
      "\u0085",
      "\u009f",
      "\u2028",
      "\u2029",
      "\ufeff",
      "\ufffd",
      "\ud800",
      "\udfff",
    ),
  },
);
const eventName = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: nameUnit, maxLength: 12 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 198, max: 202 }), fc.constantFrom("e", "é", "😀", "日"))
      .map(([n, c]) => c.repeat(n)),
  },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 10 }) },
);

function nested(depth: number): Record<string, unknown> {
  let inner: unknown = 1;
  for (let i = 1; i < depth; i++) inner = i % 2 === 0 ? [inner] : { k: inner };
  return { d: inner };
}

const payload = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 3 }), {
      maxKeys: 4,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      null,
      [],
      "x",
      1,
      {},
      { a: Number.POSITIVE_INFINITY },
      { a: [Number.NEGATIVE_INFINITY] },
      { a: Number.MAX_VALUE },
      { a: -0 },
      { a: 1e-300 },
      JSON.parse('{"__proto__":{"x":1}}'),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: MAX_PAYLOAD_DEPTH - 2, max: MAX_PAYLOAD_DEPTH }).map(nested),
  },
);

const version = fc.oneof(
  { weight: 9, arbitrary: fc.constant<unknown>("telemetry_event_v1") },
  fc.constantFrom<unknown>(
    "telemetry_event_v2",
    "TELEMETRY_EVENT_V1",
    "telemetry_event_v1\n",
    1,
    null,
  ),
);

/** What no JSON Schema can say, put into an event that may otherwise be valid. */
type Unsayable = "lone_surrogate_in_payload" | "lone_surrogate_in_extra" | "too_deep" | undefined;

const CORE_KEYS = ["schema_version", "channel", "event", "timestamp", "payload"];

export const generated = fc
  .record({
    schema_version: version,
    channel,
    event: eventName,
    timestamp,
    payload,
    extra: fc.oneof(
      { weight: 3, arbitrary: fc.constant(null) },
      {
        weight: 1,
        arbitrary: fc.dictionary(
          fc.constantFrom("x", "host", "_meta"),
          fc.jsonValue({ maxDepth: 2 }),
          { minKeys: 1, maxKeys: 2 },
        ),
      },
    ),
    missing: fc.oneof(
      { weight: 14, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.constantFrom(...CORE_KEYS) },
    ),
    unsayable: fc.constantFrom<Unsayable>(
      undefined,
      undefined,
      undefined,
      undefined,
      "lone_surrogate_in_payload",
      "lone_surrogate_in_extra",
      "too_deep",
    ),
  })
  .map(({ extra, missing, unsayable, ...core }) => {
    const base: Record<string, unknown> = { ...core, ...(extra ?? {}) };
    if (missing !== null) delete base[missing];
    return { base, unsayable };
  });

/**
 * The event with what the JSON Schema cannot say put in, and whether it was (only into an
 * object payload, which it does not otherwise change).
 */
export function withUnsayable(
  base: Record<string, unknown>,
  unsayable: Unsayable,
): { value: Record<string, unknown>; put: boolean } {
  if (unsayable === undefined) return { value: base, put: false };
  if (unsayable === "lone_surrogate_in_extra")
    return { value: { ...base, x_note: "a\ud800" }, put: true };
  const p = base.payload;
  if (typeof p !== "object" || p === null || Array.isArray(p)) return { value: base, put: false };
  const added = unsayable === "too_deep" ? nested(MAX_PAYLOAD_DEPTH) : { s: "\udc00" };
  return { value: { ...base, payload: { ...p, deep: added } }, put: true };
}

// With the u flag, a surrogate of a pair is part of one code point: only lone ones match.
const LONE_SURROGATE = /[\ud800-\udfff]/gu;

// A lone surrogate, as a JSON Schema validator sees it: a character like any other.
function wellFormed(value: unknown): unknown {
  if (typeof value === "string") return value.replace(LONE_SURROGATE, "\ufffd");
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(wellFormed);
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k.replace(LONE_SURROGATE, "\ufffd"), wellFormed(v)]),
  );
}

// The event as the JSON Schema judges it: its lone surrogates are characters like any other,
// and a timestamp whose year leaves 0000-9999 only after its offset is fine (that range is the
// parser's alone).
export function asSchemaJudges(value: Record<string, unknown>): Record<string, unknown> {
  const judged = wellFormed(value) as Record<string, unknown>;
  const t = judged.timestamp;
  if (typeof t === "string" && timestampStringProblem(t)?.rule === "year_out_of_range") {
    return { ...judged, timestamp: "2025-03-01T10:00:00Z" };
  }
  return judged;
}
