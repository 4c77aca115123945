/**
 * Deepest nesting of arrays and objects a payload may have (the payload object is level 1), for
 * the Tracker (its `maxDepth` default and ceiling) and every reader alike. Chosen so that every
 * consumer we document reads every output with room to spare: Python's `json.load` of the JSON
 * export (array and event add 2 levels) fails at about 994 levels from an empty stack, so 256
 * leaves about 700 frames for the caller (pandas' `json_normalize` takes one per level, its
 * `read_json` stops at 1024); DuckDB and hyparquet read it too (tested at the limit).
 */
export const MAX_PAYLOAD_DEPTH = 256;

// ES2024's String.prototype.isWellFormed (Node >= 20), typed here because the lib is ES2023.
const isWellFormed = (String.prototype as unknown as { isWellFormed: (this: string) => boolean })
  .isWellFormed;

/** True when `text` is well-formed Unicode (no lone surrogates), so every UTF-8 reader takes it. */
export function isWellFormedText(text: string): boolean {
  return isWellFormed.call(text);
}

const toWellFormed = (String.prototype as unknown as { toWellFormed: (this: string) => string })
  .toWellFormed;

/** `text` with each lone surrogate replaced by U+FFFD: text every UTF-8 writer and reader takes. */
export function toWellFormedText(text: string): string {
  return toWellFormed.call(text);
}

/** What is wrong with a JSON value's shape, if anything. */
export type JsonShapeProblem =
  | { readonly kind: "too_deep"; readonly path: readonly (string | number)[] }
  | { readonly kind: "ill_formed_text"; readonly path: readonly (string | number)[] }
  | {
      readonly kind: "not_finite";
      readonly path: readonly (string | number)[];
      readonly value: number;
    };

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
 * DuckDB, Python and other UTF-8 readers refuse. With `finiteUnder`, also a number that is not
 * finite under that top-level key (`1e400`, which JSON parsers read as infinity; NaN from code).
 */
export function checkJsonShape(
  value: unknown,
  limit: number,
  finiteUnder?: string,
): JsonShapeProblem | undefined {
  const stack: Frame[] = [{ value, depth: 1, parent: undefined, key: "" }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    const current = frame.value;
    if (typeof current === "string") {
      if (!isWellFormedText(current)) return { kind: "ill_formed_text", path: pathOf(frame) };
      continue;
    }
    if (typeof current === "number") {
      if (Number.isFinite(current) || finiteUnder === undefined) continue;
      // Rare: the path is only built for such a number, to see which field holds it.
      const path = pathOf(frame);
      if (path[0] === finiteUnder) return { kind: "not_finite", path, value: current };
      continue;
    }
    if (typeof current !== "object" || current === null) continue;
    if (frame.depth > limit) return { kind: "too_deep", path: pathOf(frame) };
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
