// Differential property test: the committed JSON Schema (as ajv reads it, and as Python's and
// Java's validators read its patterns) against the zod schema, on generated events biased to
// where parsers differ; then the same events as text lines, with JSON's freedoms (whitespace,
// escapes, duplicate keys), against the exporter (library and CLI, 0 and 2 workers). The JSON
// Schema may differ from zod only where it cannot say what zod checks (docs/schema.md, "What
// the JSON Schema cannot say"): it takes those, and nothing else zod refuses.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  aggregateEvents,
  exportEvents,
  scanEvents,
  validateEvents,
} from "../../src/exporter/index.js";
import { MAX_PAYLOAD_DEPTH, parseEvent, parseEventFromText } from "../../src/schema/index.js";
import { parseEventWithSchema } from "../../src/schema/parse-event.js";
import { timestampStringProblem } from "../../src/schema/timestamp-problem.js";
import { runBin } from "../helpers/run-bin.js";
import { schemaValidator } from "../helpers/schema-validators.js";

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

const generated = fc
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
function withUnsayable(
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
function asSchemaJudges(value: Record<string, unknown>): Record<string, unknown> {
  const judged = wellFormed(value) as Record<string, unknown>;
  const t = judged.timestamp;
  if (typeof t === "string" && timestampStringProblem(t)?.rule === "year_out_of_range") {
    return { ...judged, timestamp: "2025-03-01T10:00:00Z" };
  }
  return judged;
}

const DIALECTS = ["ecma", "python", "java"] as const;
const validators = DIALECTS.map((d) => [d, schemaValidator(d)] as const);

describe("JSON Schema vs zod schema (differential)", () => {
  it("agree on every generated event, but for what the JSON Schema cannot say", () => {
    let valid = 0;
    fc.assert(
      fc.property(generated, ({ base, unsayable }) => {
        const { value, put } = withUnsayable(base, unsayable);
        const zod = parseEventWithSchema(value).ok;
        expect(parseEvent(value).ok).toBe(zod);
        if (zod) valid++;
        // The schema's verdict: zod's on the event without what it cannot say.
        const said = parseEventWithSchema(asSchemaJudges(base)).ok;
        if (put) expect(zod).toBe(false);
        for (const [dialect, validate] of validators) {
          expect([dialect, validate(value)]).toEqual([dialect, said]);
        }
      }),
      { numRuns: 4000 },
    );
    // The generator reaches both verdicts often enough to mean something.
    expect(valid).toBeGreaterThan(300);
  });
});

// --- The same events as text lines, through the exporter. ---

/** A small deterministic generator of choices, for the text's freedoms. */
function chooser(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}

const WHITESPACE = ["", "", "", " ", "\t", "  ", "\r"];

/**
 * How a producer writes its lines: `JSON.stringify` (the Tracker's form, which the exporter's
 * byte scanners read without parsing), Python's `json.dumps` (`", "` and `": "`, every non-ASCII
 * character as a `\u` escape, pairs for astral ones), or anything JSON allows (whitespace
 * between tokens, letters written as `\u` escapes, an earlier duplicate of a key, which
 * JSON.parse and the others overrule with the last).
 */
type Style = "stringify" | "python" | "free";

function writeString(s: string, style: Style, pick: (n: number) => number): string {
  const plain = JSON.stringify(s);
  if (style === "python") {
    return plain.replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
  }
  if (style === "stringify" || pick(4) !== 0) return plain;
  const at = plain.search(/[a-zA-Z0-9]/);
  if (at <= 0) return plain;
  const code = plain.charCodeAt(at).toString(16).padStart(4, "0");
  return `${plain.slice(0, at)}\\u${code}${plain.slice(at + 1)}`;
}

/** JSON text of `value` in `style`; numbers JavaScript reads as infinity written as `1e400`. */
function writeJson(value: unknown, style: Style, pick: (n: number) => number): string {
  const ws = () => (style === "free" ? (WHITESPACE[pick(WHITESPACE.length)] as string) : "");
  const comma = style === "python" ? ", " : ",";
  const colon = style === "python" ? ": " : ":";
  const str = (s: string) => writeString(s, style, pick);
  if (typeof value === "number") {
    if (value === Number.POSITIVE_INFINITY) return "1e400";
    if (value === Number.NEGATIVE_INFINITY) return "-1e400";
    return JSON.stringify(value);
  }
  if (typeof value === "string") return str(value);
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) {
    const items = value.map((v) => writeJson(v, style, pick));
    return `[${ws()}${items.join(`${ws()}${comma}${ws()}`)}${ws()}]`;
  }
  const keys = Object.keys(value);
  const entries = keys.map(
    (k) =>
      `${str(k)}${ws()}${colon}${ws()}${writeJson((value as Record<string, unknown>)[k], style, pick)}`,
  );
  if (style === "free" && entries.length > 0 && pick(8) === 0) {
    const key = keys[pick(entries.length)] as string;
    entries.unshift(`${str(key)}:${pick(2) === 0 ? '"../x"' : "[]"}`);
  }
  return `{${ws()}${entries.join(`${ws()}${comma}${ws()}`)}${ws()}}`;
}

describe("exporter vs parseEvent on generated lines (differential)", () => {
  const styles = fc.constantFrom<Style>("stringify", "stringify", "python", "free");
  const samples = fc.sample(fc.tuple(generated, styles, fc.integer()), {
    numRuns: 4000,
    seed: 20251201,
  });
  const lines = samples.map(([{ base, unsayable }, style, seed]) =>
    writeJson(withUnsayable(base, unsayable).value, style, chooser(seed)),
  );
  // The verdict of a line: what JSON.parse and parseEvent make of it.
  // The canonical event of each line parseEvent takes (undefined when it refuses the line): the
  // numbers are written as JSON.stringify writes them, so its text is what the exporter writes.
  const canonical = lines.map((line) => {
    try {
      const result = parseEventFromText(JSON.parse(line), line);
      return result.ok ? JSON.stringify(result.event) : undefined;
    } catch {
      return undefined;
    }
  });
  const expected = canonical.map((c) => c !== undefined);
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "schema-agreement-"));
    file = join(dir, "events.jsonl");
    writeFileSync(file, `${lines.join("\n")}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const disagreements = (invalidLines: Iterable<number>) => {
    const invalid = new Set(invalidLines);
    return lines
      .map((line, i) => ({ line, expected: expected[i], got: !invalid.has(i + 1) }))
      .filter((r) => r.got !== r.expected)
      .slice(0, 5);
  };

  it("the lines hold both verdicts", () => {
    expect(expected.filter(Boolean).length).toBeGreaterThan(300);
    expect(expected.filter((v) => !v).length).toBeGreaterThan(300);
    // Each line is one line.
    expect(lines.every((l) => !l.includes("\n"))).toBe(true);
  });

  it.each([0, 2])(
    "validateEvents, aggregateEvents and exportEvents, %i workers",
    async (workers) => {
      const tuning = { workers, segmentBytes: 16_384 };
      for (const run of ["validate", "aggregate", "export"] as const) {
        const bad: number[] = [];
        const onDiagnostic = (d: { severity: string; line: number }) => {
          if (d.severity === "error") bad.push(d.line);
        };
        if (run === "validate") await validateEvents({ inputs: [file], onDiagnostic }, tuning);
        if (run === "aggregate") await aggregateEvents({ inputs: [file], onDiagnostic }, tuning);
        if (run === "export") {
          const output = join(dir, `out-${workers}.jsonl`);
          await exportEvents({ inputs: [file], format: "jsonl", output, onDiagnostic }, tuning);
          const written = readFileSync(output, "utf8")
            .split("\n")
            .filter((l) => l !== "");
          // Each event as parseEvent makes it: the same duplicate key wins, the same timestamp.
          expect(written).toEqual(canonical.filter((c) => c !== undefined));
        }
        expect([run, disagreements(bad)]).toEqual([run, []]);
      }
    },
  );

  it("scanEvents: its visitors receive parseEvent's events, and nothing else", async () => {
    const bad: number[] = [];
    const seen: string[] = [];
    await scanEvents(
      {
        inputs: [file],
        onDiagnostic: (d) => {
          if (d.severity === "error") bad.push(d.line);
        },
      },
      [{ event: (e) => seen.push(JSON.stringify(e)) }],
    );
    expect(disagreements(bad)).toEqual([]);
    expect(seen).toEqual(canonical.filter((c) => c !== undefined));
  });

  it.each(["0", "2"])("the CLI's validate, --workers %s", async (workers) => {
    const diagnostics = join(dir, `diagnostics-${workers}.jsonl`);
    const result = await runBin([
      "validate",
      "--input",
      file,
      "--workers",
      workers,
      "--diagnostics",
      diagnostics,
    ]);
    expect(result.code).toBe(3);
    const bad = readFileSync(diagnostics, "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l))
      .filter((d) => d.severity === "error")
      .map((d) => d.line as number);
    expect(disagreements(bad)).toEqual([]);
  });
});
