const MAX_TEXT = 60;

/** `a`/`an` before a word, by its first letter (good enough for type and class names). */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? "an" : "a"} ${word}`;
}

/**
 * A received value with its type, for messages: `the string "100"`, `the number NaN`, `an
 * array`, `a Map`. Never throws (not even on a revoked Proxy), and keeps long text short.
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case "string": {
      const text = value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;
      return `the string ${JSON.stringify(text)}`;
    }
    case "number":
    case "boolean":
      return `the ${typeof value} ${String(value)}`;
    case "bigint":
      return `the bigint ${String(value)}n`;
    case "undefined":
      return "undefined";
    case "function":
    case "symbol":
      return withArticle(typeof value);
  }
  if (value === null) return "null";
  try {
    if (Array.isArray(value)) return "an array";
    const proto = Object.getPrototypeOf(value);
    if (proto === null || proto === Object.prototype) return "an object";
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === "string" && name !== "" ? withArticle(name) : "an object";
  } catch {
    // A revoked Proxy, or a constructor getter that throws: an error while describing a bad
    // value must not escape instead of the error about it.
    return "an object";
  }
}
