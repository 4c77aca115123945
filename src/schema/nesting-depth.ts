/** Deepest nesting of arrays and objects a payload may have (the payload object is level 1). */
export const MAX_PAYLOAD_DEPTH = 1000;

/**
 * True when `value` nests arrays/objects deeper than `limit`. Iterative, so hostile input cannot
 * overflow the stack here; validators and serializers recurse, so they only see bounded depth.
 */
export function exceedsDepth(value: unknown, limit: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const item = stack.pop() as { value: unknown; depth: number };
    const current = item.value;
    if (typeof current !== "object" || current === null) continue;
    if (item.depth > limit) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) {
      if (typeof child === "object" && child !== null) {
        stack.push({ value: child, depth: item.depth + 1 });
      }
    }
  }
  return false;
}
