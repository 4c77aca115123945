import { isUtf8 } from "node:buffer";
import { type EventWarning, parseEventFromText, type TelemetryEvent } from "../../schema/index.js";
import { toWellFormedText } from "../../schema/json-shape.js";
import type { ErrorDiagnosticCode } from "../model/diagnostics.js";
import { type ExactTexts, exactTexts } from "./exact-numbers.js";

/** What one input line turned out to be. */
export type LineOutcome =
  | { readonly kind: "blank" }
  | {
      readonly kind: "valid";
      readonly event: TelemetryEvent;
      readonly warnings: readonly EventWarning[];
      /** Set when serializing `event` would change how a number is written: the exact texts. */
      readonly exact: ExactTexts | undefined;
    }
  | {
      readonly kind: "invalid";
      readonly code: ErrorDiagnosticCode;
      readonly message: string;
      readonly path?: readonly (string | number)[];
      readonly excerpt: string;
    };

const BLANK: LineOutcome = { kind: "blank" };
const EXCERPT_CHARS = 120;
const WHITESPACE_ONLY = /^[ \t\r]*$/;

/**
 * The first {@link EXCERPT_CHARS} UTF-16 units of `text`, one fewer when the cut would split a
 * surrogate pair (an emoji): a lone surrogate in a diagnostic makes the diagnostics file and the
 * aggregate report unreadable to DuckDB ("no low surrogate in string") and to Python's UTF-8
 * writers.
 */
function excerptOf(text: string): string {
  if (text.length <= EXCERPT_CHARS) return text;
  const last = text.charCodeAt(EXCERPT_CHARS - 1);
  const cut = last >= 0xd800 && last <= 0xdbff ? EXCERPT_CHARS - 1 : EXCERPT_CHARS;
  return `${text.slice(0, cut)}…`;
}

/**
 * An invalid line's outcome. Its texts are made well-formed (a lone surrogate becomes U+FFFD):
 * the line's own lone surrogates, quoted by a path or by the schema's message, and V8's
 * `JSON.parse` messages, which quote the first UTF-16 unit of an unexpected emoji alone.
 */
function invalid(
  code: ErrorDiagnosticCode,
  message: string,
  text: string,
  path?: readonly (string | number)[],
): LineOutcome {
  const excerpt = toWellFormedText(excerptOf(text));
  const said = toWellFormedText(message);
  return path === undefined
    ? { kind: "invalid", code, message: said, excerpt }
    : {
        kind: "invalid",
        code,
        message: said,
        path: path.map((key) => (typeof key === "string" ? toWellFormedText(key) : key)),
        excerpt,
      };
}

/** A line over the length limit (its bytes were never held). */
export function tooLongOutcome(bytes: number, maxLineBytes: number): LineOutcome {
  return {
    kind: "invalid",
    code: "line_too_long",
    message: `line is longer than the line limit (${bytes} > ${maxLineBytes} bytes)`,
    excerpt: "",
  };
}

/**
 * Classifies one decoded line: blank, a valid canonical event (with warnings), or invalid with a
 * diagnostic code. `first` marks line 1, where a byte-order mark is skipped. `exact`: find the
 * texts that keep every number as written (for outputs; counting needs none).
 */
export function classifyText(
  line: string,
  terminated: boolean,
  first: boolean,
  maxLineBytes: number,
  exact = true,
): LineOutcome {
  let text = first && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
  if (text.charCodeAt(text.length - 1) === 0x0d) text = text.slice(0, -1);
  // UTF-8 never takes fewer bytes than UTF-16 code units, so only long strings need measuring.
  if (
    text.length > maxLineBytes ||
    (text.length * 3 > maxLineBytes && Buffer.byteLength(text) > maxLineBytes)
  ) {
    return tooLongOutcome(Buffer.byteLength(text), maxLineBytes);
  }
  const c = text.charCodeAt(0);
  // JSON's whitespace: a line of spaces, tabs and carriage returns (`\r\r\n`, where a CRLF file
  // went through a text-mode writer on Windows) is blank, whatever its first character.
  if (text.length === 0 || ((c === 0x20 || c === 0x09 || c === 0x0d) && WHITESPACE_ONLY.test(text)))
    return BLANK;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (!terminated) {
      return invalid(
        "truncated_line",
        "last line is incomplete (no newline, not valid JSON)",
        text,
      );
    }
    return invalid("invalid_json", `invalid JSON: ${(error as Error).message}`, text);
  }
  const result = parseEventFromText(value, text);
  if (result.ok) {
    const { event, warnings } = result;
    return { kind: "valid", event, warnings, exact: exact ? exactTexts(text, event) : undefined };
  }
  const issue = result.issues[0];
  if (issue === undefined) return invalid("schema_violation", "invalid event", text);
  return invalid(issue.code, issue.message, text, issue.path);
}

/** Classifies a line given as bytes: `invalid_utf8` unless they decode, then as {@link classifyText}. */
export function classifyBytes(
  raw: Buffer,
  terminated: boolean,
  first: boolean,
  maxLineBytes: number,
  exact = true,
): LineOutcome {
  const start = first && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? 3 : 0;
  const end = raw.length > start && raw[raw.length - 1] === 0x0d ? raw.length - 1 : raw.length;
  if (end - start > maxLineBytes) return tooLongOutcome(end - start, maxLineBytes);
  const bytes = raw.subarray(start, end);
  if (!isUtf8(bytes))
    return invalid("invalid_utf8", "line is not valid UTF-8", bytes.toString("utf8"));
  return classifyText(bytes.toString("utf8"), terminated, false, maxLineBytes, exact);
}
