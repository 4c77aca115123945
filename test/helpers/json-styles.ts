// JSON text as producers write it: compact (`JSON.stringify`), Python's `json.dumps` (`": "`,
// `", "`, non-ASCII escaped), or with the freedoms the grammar allows (whitespace, `\u` escapes,
// duplicate keys), for the schema agreement property test.

/** A small deterministic generator of choices, for the text's freedoms. */
export function chooser(seed: number) {
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
export type Style = "stringify" | "python" | "free";

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
export function writeJson(value: unknown, style: Style, pick: (n: number) => number): string {
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
