/**
 * Text naming a thrown value or a bad argument in an error message. Never throws itself:
 * `String()` and `JSON.stringify()` do on a revoked Proxy, an object without a prototype or a
 * BigInt, and an error while describing an error would escape as the wrong one.
 */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value).slice(0, 80);
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

/** `Name: message` of a thrown value, or its kind when it has none that can be read. */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name}: ${error.message}`;
  } catch {
    // A revoked Proxy cannot even be asked for its prototype.
  }
  return `a thrown ${describeValue(error)}`;
}
