import { describeValue } from "../errors/describe-value.js";
import { TelemetryError } from "../errors/index.js";
import { closestName } from "./did-you-mean.js";

/** Throws `invalid_options` for the option at `option`, showing the received value with its type. */
export function invalid(
  option: string | readonly string[],
  expected: string,
  value: unknown,
  got = describeValue(value),
): never {
  const path = typeof option === "string" ? [option] : option;
  const why = `expected ${expected}, got ${got}`;
  throw new TelemetryError("invalid_options", `${path.join(".")}: ${why}`, {
    issues: [{ code: "invalid_options", path, message: why }],
  });
}

/** An optional integer option of at least `min`; `fallback` when left out. */
export function integerOption(
  name: string | readonly string[],
  value: unknown,
  fallback: number,
  min: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    invalid(name, `an integer >= ${min}`, value);
  }
  return value;
}

/**
 * Throws `invalid_options` naming every key of `options` not in `known`, with a did-you-mean.
 * `parent` is the path of a nested options object (`["rotate"]`).
 */
export function rejectUnknownKeys(
  options: object,
  known: readonly string[],
  parent: readonly string[] = [],
): void {
  const unknown = Object.keys(options).filter((key) => !known.includes(key));
  if (unknown.length === 0) return;
  const prefix = parent.length === 0 ? "" : `${parent.join(".")}.`;
  const issues = unknown.map((key) => {
    const near = closestName(key, known);
    const hint =
      near === undefined
        ? `known options: ${known.map((k) => prefix + k).join(", ")}`
        : `did you mean ${prefix}${near}?`;
    const message = `unknown option ${prefix}${key}; ${hint}`;
    return { code: "invalid_options" as const, path: [...parent, key], message };
  });
  throw new TelemetryError("invalid_options", issues.map((i) => i.message).join("; "), { issues });
}
