// Lines as other producers write them, for differential tests of the byte scanners: any key
// order, whitespace between tokens (Python's ", " and ": ", tabs), ASCII-only escaping (Python's
// ensure_ascii), timestamps in the forms the schema takes and some it refuses, numbers spelled
// as JSON.stringify would not, integer-like and repeated keys, extra top-level fields.
import fc from "fast-check";

interface Style {
  readonly comma: string;
  readonly colon: string;
  /**
   * How strings are escaped: as JSON.stringify does; as Python's ensure_ascii does (`\u00e9`);
   * the same in upper-case hex with `\/` for `/` (PHP's json_encode); every character but
   * letters and digits as `\uXXXX` (`\u0022` for `"`).
   */
  readonly escapes: "json" | "ascii" | "upper" | "every";
  readonly odd: boolean;
}

const hex = (c: string) => c.charCodeAt(0).toString(16).padStart(4, "0");

function text(value: string, style: Style): string {
  const json = JSON.stringify(value);
  if (style.escapes === "json") return json;
  if (style.escapes === "ascii") return json.replace(/[\u007f-\uffff]/g, (c) => `\\u${hex(c)}`);
  if (style.escapes === "upper") {
    const upper = json.replace(/[\u007f-\uffff]/g, (c) => `\\u${hex(c).toUpperCase()}`);
    return upper.replaceAll("/", "\\/");
  }
  let every = "";
  for (let k = 0; k < value.length; k++) {
    const c = value[k] as string;
    every += /[A-Za-z0-9]/.test(c) ? c : `\\u${hex(c)}`;
  }
  return `"${every}"`;
}

// A key as `style` escapes it; escaping every character is for values only (keys spelled with
// escapes go to the parser, and would leave the scanners little to take).
function key(name: string, style: Style): string {
  return text(name, style.escapes === "every" ? { ...style, escapes: "ascii" } : style);
}

function number(n: number, style: Style): string {
  if (!style.odd) return JSON.stringify(n);
  if (Number.isInteger(n) && Math.abs(n) < 1e6) return n === 0 ? "-0" : `${n}.0`;
  return n.toExponential();
}

/** `value` as JSON text in `style` (numbers in an odd spelling when `style.odd`). */
export function serialize(value: unknown, style: Style): string {
  if (value === null || typeof value === "boolean") return String(value);
  if (typeof value === "number") return number(value, style);
  if (typeof value === "string") return text(value, style);
  if (Array.isArray(value)) return `[${value.map((v) => serialize(v, style)).join(style.comma)}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([k, v]) => `${key(k, style)}${style.colon}${serialize(v, style)}`).join(style.comma)}}`;
}

const style = fc.record({
  comma: fc.constantFrom(",", ",", ", ", ", ", " , ", ",\t"),
  colon: fc.constantFrom(":", ":", ": ", ": ", " :\t"),
  escapes: fc.constantFrom("json", "json", "ascii", "ascii", "upper", "every"),
  odd: fc.integer({ min: 0, max: 9 }).map((n) => n < 3),
});

/** Timestamps other producers write, valid and not. */
export const producerTimestamp = fc.oneof(
  fc
    .tuple(
      fc.date({
        noInvalidDate: true,
        min: new Date("0000-01-01T00:00:00Z"),
        max: new Date("9999-12-31T23:59:59Z"),
      }),
      fc.integer({ min: 0, max: 10 }),
      fc.constantFrom("Z", "+00:00", "-00:00", "+02:00", "-05:30", "+23:59", "+14:00", "-12:00"),
    )
    .map(([d, digits, zone]) => {
      const iso = d.toISOString();
      const fraction = digits === 0 ? "" : `.${`${iso.slice(20, 23)}4567890`.slice(0, digits)}`;
      return `${iso.slice(0, 19)}${fraction}${zone}`;
    }),
  fc.constantFrom(
    "2025-03-01T10:00:00",
    "2025-03-01 10:00:00Z",
    "2025-03-01T10:00Z",
    "2025-03-01T10:00:00+0200",
    "2025-03-01T10:00:00+24:00",
    "2025-03-01T10:00:00+02:60",
    "2025-02-29T10:00:00Z",
    "2024-02-29T23:30:00-01:00",
    "0000-01-01T00:30:00+01:00",
    "9999-12-31T23:00:00-02:00",
    "2025-03-01T24:00:00Z",
    "2025-03-01T10:00:00.Z",
    "2025-03-01T10:00:00z",
  ),
);

const oddKeys = fc.constantFrom("1", "01", "a", "b", "é", "x\ty", "k\u2028");

const payload = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), {
      maxKeys: 6,
    }),
  },
  { weight: 1, arbitrary: fc.dictionary(oddKeys, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }) },
  // Text beyond ASCII, and characters JSON escapes (or that other producers escape).
  {
    weight: 2,
    arbitrary: fc.dictionary(
      fc.string({ maxLength: 4 }),
      fc.oneof(
        fc.string({ unit: "binary", maxLength: 8 }),
        fc.constantFrom("é", "東京", "😀", "a/b", 'q"q', "back\\slash", "nl\n", "\u0001", "\u2028"),
        fc.constantFrom("\ud800", "a\udc00", "\u007f"),
      ),
      { maxKeys: 3 },
    ),
  },
);

/** Mostly `good`, so a fast path gets to accept often; sometimes `bad`, so it must refuse. */
export const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 6, arbitrary: good }, { weight: 1, arbitrary: bad });

const core = fc.record({
  schema_version: mostly(fc.constant("telemetry_event_v1"), fc.constant("telemetry_event_v2")),
  channel: mostly(
    fc.constantFrom("user", "sim-1", "a_b"),
    fc.constantFrom("User", "", "a".repeat(65)),
  ),
  event: mostly(
    fc.constantFrom("button.clicked", "é.vu", "😀", "run"),
    fc.oneof(
      fc.constantFrom('a"b', "a\\b", "tab\there", "e\u0085", ""),
      fc.string({ maxLength: 12 }),
    ),
  ),
  timestamp: producerTimestamp,
  payload,
});

// Top-level fields other than the core ones, as producers add them: plain keys and keys the
// scanners leave to the parser (index-like, `__proto__`, escaped, too many).
const extraKey = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("host", "pid", "extra", "é", "x y", "") },
  { weight: 1, arbitrary: fc.constantFrom("7", "0", "01", "__proto__", "k\u2028", 'a"b', "tab\t") },
);
const extraFields = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.uniqueArray(fc.tuple(extraKey, fc.jsonValue({ maxDepth: 2 })), {
      minLength: 1,
      maxLength: 3,
      selector: ([k]) => k,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constant(Array.from({ length: 9 }, (_, k): [string, unknown] => [`f${k}`, k])),
  },
);

// An edit that makes a line almost, but not quite, like the others of its batch.
const edit = fc.tuple(
  fc.nat(),
  fc.constantFrom("cut", "double", "replace", "append"),
  fc.constantFrom('"', ",", "}", "{", " ", ":", "x", "\\", "0", ', "k": 1}'),
);

function edited(line: string, [at, how, text]: [number, string, string]): string {
  const i = at % (line.length + 1);
  if (how === "cut") return line.slice(0, i) + line.slice(i + 1);
  if (how === "double") return line.slice(0, i + 1) + line.slice(i);
  if (how === "replace") return line.slice(0, i) + text + line.slice(i + 1);
  return line + text;
}

/**
 * Lines one producer writes: one style, key order and padding, the values varying (so a
 * scanner reading them in turn meets the layout of the line before), and now and then a line
 * edited a byte or two away from that layout.
 */
export const producerBatch = fc
  .tuple(
    style,
    fc.constantFrom("", "", " ", "\t"),
    fc.constantFrom([], [], ["host"], ["host", "pid"], ["7"]).chain((extras) =>
      fc.shuffledSubarray(
        ["schema_version", "channel", "event", "timestamp", "payload", ...extras],
        {
          minLength: 5 + extras.length,
        },
      ),
    ),
    fc.array(fc.tuple(core, fc.jsonValue({ maxDepth: 1 }), fc.option(edit, { freq: 4 })), {
      minLength: 2,
      maxLength: 8,
    }),
  )
  .map(([how, pad, keys, records]) =>
    records.map(([core, extra, change]) => {
      // Other fields keep their keys from line to line; their values vary.
      const record: Record<string, unknown> = { ...core, host: extra, pid: 4242, "7": extra };
      const fields = keys.map((k) => `${key(k, how)}${how.colon}${serialize(record[k], how)}`);
      const line = `{${pad}${fields.join(how.comma)}${pad}}`;
      return change === null ? line : edited(line, change);
    }),
  );

/** A line as some producer writes it (most of them valid events). */
export const producerLine = fc
  .tuple(
    core,
    fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 2, arbitrary: extraFields }),
    style,
    fc.oneof(
      { weight: 18, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom("channel", "host") },
    ),
    fc.constantFrom("", "", "", " ", "\t"),
  )
  .chain(([core, extras, how, repeat, pad]) => {
    const entries: [string, unknown][] = [...Object.entries(core), ...extras];
    return fc.shuffledSubarray(entries, { minLength: entries.length }).map((shuffled) => {
      const fields = shuffled.map(([k, v]) => `${key(k, how)}${how.colon}${serialize(v, how)}`);
      // Now and then a key written twice (JSON.parse keeps the last value, in the first place).
      if (repeat !== undefined) fields.push(`"${repeat}"${how.colon}"user"`);
      return `{${pad}${fields.join(how.comma)}${pad}}`;
    });
  });
