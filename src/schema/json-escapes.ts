import type { TextEdits } from "./text-edits.js";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

// The four hex digits at `buf[at]` as a number, or -1.
function hex4(buf: Uint8Array, at: number): number {
  let code = 0;
  for (let k = at; k < at + 4; k++) {
    const d = hexValue(buf[k] as number);
    if (d < 0) return -1;
    code = code * 16 + d;
  }
  return code;
}

// What JSON.stringify writes for a character it escapes: `"`, `\`, or a control character.
function escapeText(code: number): string {
  switch (code) {
    case 0x08:
      return "\\b";
    case 0x09:
      return "\\t";
    case 0x0a:
      return "\\n";
    case 0x0c:
      return "\\f";
    case 0x0d:
      return "\\r";
    case QUOTE:
      return '\\"';
    case BACKSLASH:
      return "\\\\";
    default:
      return `\\u${code.toString(16).padStart(4, "0")}`;
  }
}

/**
 * Reads an escape JSON.stringify does not write, at the backslash `buf[at]`, within `end`: `\/`,
 * or `\u` and four hex digits (a surrogate pair as two). Returns where it ends, and notes in
 * `edits` (when given) what stringify writes for its character instead: the character itself,
 * or its short or lower-case escape. -1 for anything else, a lone surrogate included (not
 * valid text: the parser's business).
 */
export function readEscape(
  buf: Uint8Array,
  at: number,
  end: number,
  edits: TextEdits | undefined,
): number {
  const e = buf[at + 1];
  if (e === 0x2f) {
    edits?.replaceByCodePoint(at, at + 2, 0x2f);
    return at + 2;
  }
  if (e !== 0x75) return -1;
  let code = hex4(buf, at + 2);
  let next = at + 6;
  if (code >= 0xd800 && code <= 0xdbff) {
    const low = buf[next] === BACKSLASH && buf[next + 1] === 0x75 ? hex4(buf, next + 2) : -1;
    if (low < 0xdc00 || low > 0xdfff) return -1;
    code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
    next += 6;
  } else if (code < 0 || (code >= 0xdc00 && code <= 0xdfff)) return -1;
  if (next > end) return -1;
  if (edits === undefined) return next;
  if (code >= 0x20 && code !== QUOTE && code !== BACKSLASH)
    edits.replaceByCodePoint(at, next, code);
  else edits.replaceByText(at, next, escapeText(code));
  return next;
}
