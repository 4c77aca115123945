import { TelemetryError } from "../errors/index.js";
import { isWellFormedText, type Payload } from "../schema/index.js";
import { setOwn } from "../schema/own-property.js";
import { describeError } from "./describe-error.js";

/** How payloads are copied into events. */
export interface PayloadRules {
  /** Key names removed (or masked, with `censor`) at any depth. */
  readonly redact: ReadonlySet<string> | undefined;
  /** Replacement for redacted values; `undefined` removes the key instead. */
  readonly censor: string | undefined;
  /** Deepest nesting of objects and arrays accepted. */
  readonly maxDepth: number;
}

const OMIT = Symbol("omit");

function describePath(path: readonly (string | number)[]): string {
  let out = "payload";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : `.${part}`;
  return out;
}

function reject(path: readonly (string | number)[], why: string): never {
  throw new TelemetryError("invalid_payload", `${describePath(path)}: ${why}`, {
    issues: [{ code: "invalid_payload", path: ["payload", ...path], message: why }],
  });
}

/** The payload's own code failed while it was read (a getter, a Proxy trap, a `toJSON`). */
function unreadable(path: readonly (string | number)[], cause: unknown): never {
  const why = `could not be read (${describeError(cause)})`;
  throw new TelemetryError("invalid_payload", `${describePath(path)}: ${why}`, {
    cause,
    issues: [{ code: "invalid_payload", path: ["payload", ...path], message: why }],
  });
}

function hasToJson(value: object): value is { toJSON(key: string): unknown } {
  return typeof (value as { toJSON?: unknown }).toJSON === "function";
}

function withArticle(kind: string): string {
  return `${/^[aeiou]/i.test(kind) ? "an" : "a"} ${kind}`;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

class PayloadCopier {
  private readonly path: (string | number)[] = [];
  /** The path being copied; after a throw, the value whose reading threw. */
  get currentPath(): readonly (string | number)[] {
    return this.path;
  }
  private readonly seen = new Set<object>();

  constructor(private readonly rules: PayloadRules) {}

  copyObject(source: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const { redact, censor } = this.rules;
    for (const key of Object.keys(source)) {
      if (redact?.has(key)) {
        if (censor !== undefined) setOwn(out, key, censor);
        continue;
      }
      this.path.push(key);
      if (!isWellFormedText(key))
        reject(this.path, "key contains a lone UTF-16 surrogate (not valid Unicode)");
      const value = this.copy(source[key], key, false, false);
      this.path.pop();
      if (value !== OMIT) setOwn(out, key, value);
    }
    return out;
  }

  /** `converted`: `value` came from a `toJSON`, which, as in `JSON.stringify`, is not called again. */
  copy(value: unknown, key: string, inArray: boolean, converted: boolean): unknown {
    switch (typeof value) {
      case "string":
        if (!isWellFormedText(value))
          reject(this.path, "text contains a lone UTF-16 surrogate (not valid Unicode)");
        return value;
      case "boolean":
        return value;
      case "number":
        if (!Number.isFinite(value)) reject(this.path, `${value} is not a JSON number`);
        // JSON has no negative zero; store what a reader will get back.
        return value === 0 ? 0 : value;
      case "undefined":
        if (inArray) reject(this.path, "undefined in an array would become null");
        return OMIT;
      case "bigint":
        return reject(this.path, "BigInt has no JSON form (convert it to a string or number)");
      case "function":
      case "symbol":
        return reject(this.path, `a ${typeof value} has no JSON form`);
    }
    if (value === null) return null;
    return this.copyContainer(value as object, key, inArray, converted);
  }

  private copyContainer(value: object, key: string, inArray: boolean, converted: boolean): unknown {
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) reject(this.path, "invalid Date");
      return value.toISOString();
    }
    if (this.seen.has(value)) reject(this.path, "circular reference");
    // The payload object is level 1, so a container at path length L is level L + 1.
    if (this.path.length >= this.rules.maxDepth) {
      reject(this.path, `nested deeper than ${this.rules.maxDepth} levels`);
    }
    this.seen.add(value);
    let out: unknown;
    if (Array.isArray(value)) {
      const items: unknown[] = new Array(value.length);
      for (let i = 0; i < value.length; i++) {
        this.path.push(i);
        items[i] = this.copy(value[i], String(i), true, false);
        this.path.pop();
      }
      out = items;
    } else if (!converted && hasToJson(value)) {
      // Before the plain-object case: a plain object with a toJSON method is converted by it.
      out = this.copy(value.toJSON(key), key, inArray, true);
    } else if (isPlainObject(value)) {
      out = this.copyObject(value as Record<string, unknown>);
    } else {
      const kind = withArticle(value.constructor?.name || "object");
      // A toJSON result is not converted again (as in JSON.stringify): chains stay bounded.
      if (converted) reject(this.path, `toJSON returned ${kind}, which is not a plain object`);
      reject(this.path, `${kind} is not a plain object and has no toJSON method`);
    }
    this.seen.delete(value);
    return out;
  }
}

// The fast copy handles plain JSON data only; it gives up (throws this) on anything else, and the
// path-tracking copier above then does the work, or names exactly what is wrong.
const GIVE_UP = Symbol("give up");

function fastCopy(value: unknown, depth: number, maxDepth: number): unknown {
  switch (typeof value) {
    case "string":
      if (!isWellFormedText(value)) throw GIVE_UP;
      return value;
    case "boolean":
      return value;
    case "number":
      if (value - value !== 0) throw GIVE_UP;
      return value === 0 ? 0 : value;
    case "object": {
      if (value === null) return null;
      if (depth > maxDepth) throw GIVE_UP;
      if (Array.isArray(value)) {
        const out: unknown[] = new Array(value.length);
        for (let i = 0; i < value.length; i++) {
          const item = value[i];
          if (item === undefined) throw GIVE_UP;
          out[i] = fastCopy(item, depth + 1, maxDepth);
        }
        return out;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) throw GIVE_UP;
      const out: Record<string, unknown> = {};
      for (const key in value) {
        if (!Object.hasOwn(value, key)) throw GIVE_UP;
        const item = (value as Record<string, unknown>)[key];
        if (item === undefined) continue;
        if (key === "__proto__" || !isWellFormedText(key)) throw GIVE_UP;
        out[key] = fastCopy(item, depth + 1, maxDepth);
      }
      return out;
    }
    default:
      throw GIVE_UP;
  }
}

/**
 * Copies a payload into a fresh JSON object, applying redaction, and throws a `TelemetryError`
 * (`invalid_payload`) for any value that JSON would silently change or drop.
 */
export function toJsonPayload(payload: unknown, rules: PayloadRules): Payload {
  let fastFailure: unknown = GIVE_UP;
  try {
    if (
      rules.redact === undefined &&
      typeof payload === "object" &&
      payload !== null &&
      !Array.isArray(payload)
    ) {
      return fastCopy(payload, 1, rules.maxDepth) as Payload;
    }
  } catch (error) {
    fastFailure = error;
  }
  const copy = copyPayloadSlowly(payload, rules);
  // The payload's own code threw once and not the second time: still refused, never half-read.
  if (fastFailure !== GIVE_UP) unreadable([], fastFailure);
  return copy;
}

/** The path-tracking copy alone (the reference the fast copy must match). */
export function copyPayloadSlowly(payload: unknown, rules: PayloadRules): Payload {
  const copier = new PayloadCopier(rules);
  try {
    let value = payload;
    if (typeof value === "object" && value !== null && !Array.isArray(value) && hasToJson(value))
      value = value.toJSON("payload");
    if (
      typeof value !== "object" ||
      value === null ||
      Array.isArray(value) ||
      !isPlainObject(value)
    ) {
      const kind = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
      return reject([], `payload must be a plain object, got ${kind}`);
    }
    return copier.copyObject(value as Record<string, unknown>) as Payload;
  } catch (error) {
    if (error instanceof TelemetryError) throw error;
    // Where the copier stood when the payload's own code threw: the value being read.
    return unreadable(copier.currentPath, error);
  }
}
