import { isUtf8 } from "node:buffer";
import { type EventWarning, parseEvent, type TelemetryEvent } from "../schema/index.js";
import type { ErrorDiagnosticCode } from "./diagnostics.js";

/** What one input line turned out to be. */
export type LineOutcome =
  | { readonly kind: "blank" }
  | {
      readonly kind: "valid";
      readonly event: TelemetryEvent;
      readonly warnings: readonly EventWarning[];
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

function isBlank(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  }
  return true;
}

function excerptOf(text: string): string {
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
}

function invalid(
  code: ErrorDiagnosticCode,
  message: string,
  text: string,
  path?: readonly (string | number)[],
): LineOutcome {
  const excerpt = excerptOf(text);
  return path === undefined
    ? { kind: "invalid", code, message, excerpt }
    : { kind: "invalid", code, message, path, excerpt };
}

/** A line over the length limit (its bytes were never held). */
export function tooLongOutcome(bytes: number, maxLineBytes: number): LineOutcome {
  return {
    kind: "invalid",
    code: "line_too_long",
    message: `line is longer than --max-line-bytes (${bytes} > ${maxLineBytes} bytes)`,
    excerpt: "",
  };
}

/**
 * Classifies one line: blank, a valid canonical event (with warnings), or invalid with a
 * diagnostic code. `first` marks line 1, where a UTF-8 byte-order mark is skipped.
 */
export function classifyLine(
  raw: Buffer,
  terminated: boolean,
  first: boolean,
  maxLineBytes: number,
): LineOutcome {
  const start = first && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? 3 : 0;
  let end = raw.length;
  if (end > start && raw[end - 1] === 0x0d) end--;
  if (end - start > maxLineBytes) return tooLongOutcome(end - start, maxLineBytes);
  const bytes = start === 0 && end === raw.length ? raw : raw.subarray(start, end);
  if (isBlank(bytes)) return BLANK;
  if (!isUtf8(bytes)) {
    return invalid("invalid_utf8", "line is not valid UTF-8", bytes.toString("utf8"));
  }
  const text = bytes.toString("utf8");
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
  const result = parseEvent(value);
  if (result.ok) return { kind: "valid", event: result.event, warnings: result.warnings };
  const issue = result.issues[0];
  if (issue === undefined) return invalid("schema_violation", "invalid event", text);
  return invalid(issue.code, issue.message, text, issue.path);
}
