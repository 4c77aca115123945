import type { z } from "zod";
import { describeValue } from "../errors/describe-value.js";
import { type Issue, TelemetryError } from "../errors/index.js";
import { MAX_PAYLOAD_DEPTH } from "../schema/index.js";
import { describeError } from "./describe-error.js";
import { unknownEvent } from "./input-errors.js";

/** What happens to payload keys the catalogue schema does not declare (and so strips). */
export type CatalogUnknownKeys = "reject" | "strip";

/** The values `catalogUnknownKeys` accepts. */
export const CATALOG_UNKNOWN_KEYS: readonly CatalogUnknownKeys[] = ["reject", "strip"];

type Schemas = Readonly<Record<string, Readonly<Record<string, z.ZodType>>>>;

// Own properties only: a catalogue is a plain object, and names such as "constructor",
// "toString" or "__proto__" must not find what Object.prototype holds.
function own<T>(table: { readonly [key: string]: T }, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Throws `unknown_event` unless the catalogue lists `channel` (the authority on channels). */
export function checkCatalogChannel(catalog: Schemas, channel: string, event: unknown): void {
  if (own(catalog, channel) === undefined) {
    unknownEvent(catalog, channel, typeof event === "string" ? event : describeValue(event));
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

// Keys the caller gave that the parsed value lacks, wherever both sides are still objects or
// arrays at the same path (a transform that reshapes a value ends the comparison there). A value
// zod passed through as is (z.unknown(), a loose object's extra key) is the same object on both
// sides, which also ends the walk on a circular payload.
function droppedKeys(
  input: unknown,
  output: unknown,
  path: readonly (string | number)[],
  found: (string | number)[][] | undefined,
): (string | number)[][] | undefined {
  if (input === output || typeof input !== "object" || input === null) return found;
  if (path.length > MAX_PAYLOAD_DEPTH) return found;
  let out = found;
  if (Array.isArray(input)) {
    if (!Array.isArray(output)) return out;
    const n = Math.min(input.length, output.length);
    for (let i = 0; i < n; i++) out = droppedKeys(input[i], output[i], [...path, i], out);
  } else if (isPlainObject(input) && isPlainObject(output)) {
    // for-in with an own-key check: no key array per event on this per-record path.
    for (const key in input) {
      if (!Object.hasOwn(input, key)) continue;
      const value = input[key];
      if (value === undefined) continue;
      if (!Object.hasOwn(output, key)) {
        out = out ?? [];
        out.push([...path, key]);
      } else if (typeof value === "object") {
        out = droppedKeys(value, output[key], [...path, key], out);
      }
    }
  }
  return out;
}

/**
 * Parses a payload with its catalogue schema and returns the parsed value (defaults and
 * transforms applied): that is what gets written. Keys the schema strips are refused unless
 * `unknownKeys` is `"strip"`.
 */
export function parseCatalogPayload(
  catalog: Schemas,
  channel: string,
  event: string,
  payload: unknown,
  unknownKeys: CatalogUnknownKeys,
): unknown {
  const events = own(catalog, channel);
  const schema = events === undefined ? undefined : own(events, event);
  if (schema === undefined) return unknownEvent(catalog, channel, event);
  let result: ReturnType<z.ZodType["safeParse"]>;
  let dropped: (string | number)[][] | undefined;
  try {
    result = schema.safeParse(payload);
    if (result.success && unknownKeys === "reject") {
      dropped = droppedKeys(payload, result.data, [], undefined);
    }
  } catch (cause) {
    // A schema whose own check throws, or a payload that cannot be read (a throwing getter).
    throw new TelemetryError(
      "invalid_payload",
      `payload could not be checked against the catalog for ${channel}/${event}: ${describeError(cause)}`,
      { cause },
    );
  }
  let issues: Issue[];
  if (result.success) {
    if (dropped === undefined) return result.data;
    issues = dropped.map((path) => ({
      code: "unrecognized_keys",
      path: ["payload", ...path],
      message: `unrecognized key ${JSON.stringify(path.at(-1))}: not declared by the catalog's schema (declare it, keep such keys with z.looseObject, or drop them with catalogUnknownKeys: "strip")`,
    }));
  } else {
    issues = result.error.issues.map((issue) => ({
      code: "invalid_payload",
      path: ["payload", ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))],
      message: issue.message,
    }));
  }
  const first = issues[0];
  throw new TelemetryError(
    "invalid_payload",
    `payload does not match the catalog for ${channel}/${event}: ${first?.path.join(".")}: ${first?.message}`,
    { issues },
  );
}
