import { TelemetryError } from "../../errors/index.js";

// One segment of a glob, compiled to tokens. Matching runs the classic two-pointer algorithm
// (on a mismatch, go back to the last `*` and let it take one more character), which needs no
// regular expression: a backtracking regex per `*` took tens of seconds on a long name.
type Token =
  | { readonly kind: "char"; readonly code: number }
  | { readonly kind: "any" }
  | { readonly kind: "star" }
  | {
      readonly kind: "class";
      readonly negate: boolean;
      readonly ranges: readonly (readonly [number, number])[];
    };

function invalid(pattern: string, why: string): TelemetryError {
  return new TelemetryError("usage", `invalid glob pattern ${JSON.stringify(pattern)}: ${why}`, {
    path: ["inputs"],
  });
}

// `[...]`: a leading `!` or `^` negates; `a-z` is a range; every other character stands for
// itself (a backslash too). A `-` first or last is literal.
function parseClass(body: string, pattern: string): Token {
  const negate = body.startsWith("!") || body.startsWith("^");
  const chars = negate ? body.slice(1) : body;
  const ranges: [number, number][] = [];
  for (let i = 0; i < chars.length; i++) {
    const lo = chars.charCodeAt(i);
    if (chars[i + 1] === "-" && i + 2 < chars.length) {
      const hi = chars.charCodeAt(i + 2);
      if (hi < lo) {
        throw invalid(pattern, `range ${chars[i]}-${chars[i + 2]} is out of order`);
      }
      ranges.push([lo, hi]);
      i += 2;
    } else ranges.push([lo, lo]);
  }
  return { kind: "class", negate, ranges };
}

/** A compiled glob segment (`*`, `?`, `[...]`; no `/`). */
export class GlobSegment {
  private readonly tokens: readonly Token[];
  /** Token comparisons made by the last {@link matches} call (tests hold it to linear). */
  steps = 0;

  /** Throws a `usage` error for a pattern that cannot be compiled (a range such as `[z-a]`). */
  constructor(segment: string, pattern = segment) {
    const tokens: Token[] = [];
    for (let i = 0; i < segment.length; i++) {
      const c = segment[i] as string;
      if (c === "*") {
        // Consecutive stars match what one does.
        if (tokens[tokens.length - 1]?.kind !== "star") tokens.push({ kind: "star" });
      } else if (c === "?") tokens.push({ kind: "any" });
      else if (c === "[" && segment.indexOf("]", i + 1) !== -1) {
        const close = segment.indexOf("]", i + 1);
        tokens.push(parseClass(segment.slice(i + 1, close), pattern));
        i = close;
      } else tokens.push({ kind: "char", code: segment.charCodeAt(i) });
    }
    this.tokens = tokens;
  }

  /** True when the whole of `name` matches; time linear in `name.length` for a given pattern. */
  matches(name: string): boolean {
    const tokens = this.tokens;
    let t = 0;
    let n = 0;
    let star = -1; // the token after the last `*` seen
    let resume = 0; // where in the name that `*`'s match ends
    this.steps = 0;
    while (n < name.length) {
      this.steps++;
      const token = tokens[t];
      if (token?.kind === "star") {
        star = ++t;
        resume = n;
      } else if (token !== undefined && accepts(token, name.charCodeAt(n))) {
        t++;
        n++;
      } else if (star !== -1) {
        t = star;
        n = ++resume;
      } else return false;
    }
    while (tokens[t]?.kind === "star") t++;
    return t === tokens.length;
  }
}

function accepts(token: Exclude<Token, { kind: "star" }>, code: number): boolean {
  if (token.kind === "char") return token.code === code;
  if (token.kind === "any") return true;
  let inside = false;
  for (const [lo, hi] of token.ranges) {
    if (code >= lo && code <= hi) {
      inside = true;
      break;
    }
  }
  return inside !== token.negate;
}
