/** Deepest nesting of arrays and objects a payload may have (the payload object is level 1). */
export const MAX_PAYLOAD_DEPTH = 1000;

// ES2024's String.prototype.isWellFormed (Node >= 20), typed here because the lib is ES2023.
const isWellFormed = (String.prototype as unknown as { isWellFormed: (this: string) => boolean })
  .isWellFormed;

/** True when `text` is well-formed Unicode (no lone surrogates), so every UTF-8 reader takes it. */
export function isWellFormedText(text: string): boolean {
  return isWellFormed.call(text);
}

/** What is wrong with a JSON value's shape, if anything. */
export type JsonShapeProblem =
  | { readonly kind: "too_deep" }
  | { readonly kind: "ill_formed_text"; readonly path: readonly (string | number)[] };

interface Frame {
  readonly value: unknown;
  readonly depth: number;
  // The path is rebuilt from parent links only when there is a problem to report.
  readonly parent: Frame | undefined;
  readonly key: string | number;
}

function pathOf(frame: Frame): (string | number)[] {
  const path: (string | number)[] = [];
  for (let f: Frame | undefined = frame; f?.parent !== undefined; f = f.parent) path.unshift(f.key);
  return path;
}

/**
 * Walks a JSON value iteratively (hostile input cannot overflow the stack here) and reports
 * nesting deeper than `limit` levels, or a string or key with a lone surrogate: text that
 * DuckDB, Python and other UTF-8 readers refuse.
 */
export function checkJsonShape(value: unknown, limit: number): JsonShapeProblem | undefined {
  const stack: Frame[] = [{ value, depth: 1, parent: undefined, key: "" }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    const current = frame.value;
    if (typeof current === "string") {
      if (!isWellFormedText(current)) return { kind: "ill_formed_text", path: pathOf(frame) };
      continue;
    }
    if (typeof current !== "object" || current === null) continue;
    if (frame.depth > limit) return { kind: "too_deep" };
    const depth = frame.depth + 1;
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++)
        stack.push({ value: current[i], depth, parent: frame, key: i });
      continue;
    }
    for (const key of Object.keys(current)) {
      const child: Frame = {
        value: (current as Record<string, unknown>)[key],
        depth,
        parent: frame,
        key,
      };
      if (!isWellFormedText(key)) return { kind: "ill_formed_text", path: pathOf(child) };
      stack.push(child);
    }
  }
  return undefined;
}
