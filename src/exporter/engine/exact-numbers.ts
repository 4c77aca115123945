import type { TelemetryEvent } from "../../schema/index.js";

/**
 * An event's output texts, written with every number exactly as the input line spelled it.
 * `extra`: the object of its non-core top-level fields, or undefined when it has none.
 */
export interface ExactTexts {
  readonly event: string;
  readonly payload: string;
  readonly extra: string | undefined;
}

const CORE_KEYS = new Set(["schema_version", "channel", "event", "timestamp", "payload"]);

// Where a string starting at the quote `at` ends (after its closing quote).
function stringEnd(text: string, at: number): number {
  let close = text.indexOf('"', at + 1);
  for (;;) {
    let backslashes = 0;
    while (text.charCodeAt(close - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return close + 1;
    close = text.indexOf('"', close + 1);
  }
}

/**
 * The spans `[start, end)` of the number tokens in `text` (valid JSON) that JSON.stringify would
 * not print back as written, or undefined when there are none. One pass: strings are skipped
 * with indexOf, and a number is converted only when its text could print otherwise (an
 * exponent, 16 or more digits, a fraction ending in 0, -0, or 0.000000x): 15 significant digits
 * always round-trip through a double, and JS prints them without an exponent from 1e-6 up.
 * Numbers that overflow to infinity are listed too: the payload refuses them, but another
 * top-level field may hold one (docs/schema.md), and JSON.stringify writes it as null.
 */
export function inexactNumbers(text: string): [number, number][] | undefined {
  let spans: [number, number][] | undefined;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = stringEnd(text, i);
      continue;
    }
    if (c !== 0x2d && (c < 0x30 || c > 0x39)) {
      i++;
      continue;
    }
    const start = i;
    let digits = 0;
    let fraction = false;
    let fractionEndsInZero = false;
    let exponent = false;
    for (i = c === 0x2d ? i + 1 : i; i < n; i++) {
      const d = text.charCodeAt(i);
      if (d >= 0x30 && d <= 0x39) {
        digits++;
        fractionEndsInZero = fraction && !exponent && d === 0x30;
      } else if (d === 0x2e) fraction = true;
      else if (d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d) exponent = true;
      else break;
    }
    const first = c === 0x2d ? text.charCodeAt(start + 1) : c;
    const zeroStart = first === 0x30 && (c === 0x2d || digits > 6);
    if (exponent || digits > 15 || fractionEndsInZero || zeroStart) {
      const literal = text.slice(start, i);
      const value = Number(literal);
      if (String(value) !== literal) {
        spans ??= [];
        spans.push([start, i]);
      }
    }
  }
  return spans;
}

// A marker no string of the event holds: a number replaced by the string `"<marker><k>"` is
// then found again, and only there, in the serialized text.
function markerFor(plain: string): string {
  let n = 0;
  while (plain.includes(`exact${n}n`)) n++;
  return `exact${n}n`;
}

function copyOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/**
 * The texts of `event` (the valid event parsed from the line `text`) with every number as the
 * line wrote it, or undefined when JSON.stringify already writes them so (the common case, found
 * by one pass over the line's text). The line is parsed again with each such number replaced by a
 * marker string, serialized, and the markers replaced by the numbers' own text.
 */
export function exactTexts(text: string, event: TelemetryEvent): ExactTexts | undefined {
  const spans = inexactNumbers(text);
  if (spans === undefined) return undefined;
  const marker = markerFor(JSON.stringify(event));
  let marked = "";
  let at = 0;
  for (const [k, [start, end]] of spans.entries()) {
    marked += `${text.slice(at, start)}"${marker}${k}"`;
    at = end;
  }
  marked += text.slice(at);
  const value = JSON.parse(marked) as Record<string, unknown>;
  // The canonical shape parseEvent gives: core fields (validated on the line as read), then the
  // other top-level fields in their order.
  const exact: Record<string, unknown> = {
    schema_version: event.schema_version,
    channel: event.channel,
    event: event.event,
    timestamp: event.timestamp,
    payload: value.payload,
  };
  let extra: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    if (CORE_KEYS.has(key)) continue;
    copyOwn(exact, key, value[key]);
    extra ??= {};
    copyOwn(extra, key, value[key]);
  }
  const pattern = new RegExp(`"${marker}(\\d+)"`, "g");
  const restore = (json: string) =>
    json.replace(pattern, (_, k: string) => {
      const [start, end] = spans[Number(k)] as [number, number];
      return text.slice(start, end);
    });
  return {
    event: restore(JSON.stringify(exact)),
    payload: restore(JSON.stringify(value.payload)),
    extra: extra === undefined ? undefined : restore(JSON.stringify(extra)),
  };
}

/** The object of `event`'s non-core top-level fields as JSON text, or undefined when none. */
export function extraText(event: TelemetryEvent): string | undefined {
  const keys = Object.keys(event);
  if (keys.length === CORE_KEYS.size) return undefined;
  const extra: Record<string, unknown> = {};
  const record = event as Record<string, unknown>;
  for (const key of keys) if (!CORE_KEYS.has(key)) copyOwn(extra, key, record[key]);
  return JSON.stringify(extra);
}
