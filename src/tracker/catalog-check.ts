import type { z } from "zod";
import { type Issue, TelemetryError } from "../errors/index.js";
import { unknownEvent } from "./input-errors.js";

/** What happens to payload keys the catalogue schema does not declare (and so strips). */
export type CatalogUnknownKeys = "reject" | "strip";

/** The values `catalogUnknownKeys` accepts. */
export const CATALOG_UNKNOWN_KEYS: readonly CatalogUnknownKeys[] = ["reject", "strip"];

type Schemas = Readonly<Record<string, Readonly<Record<string, z.ZodType>>>>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

// Keys the caller gave that the parsed value lacks, wherever both sides are still objects or
// arrays at the same path (a transform that reshapes a value ends the comparison there).
function droppedKeys(
  input: unknown,
  output: unknown,
  path: (string | number)[],
  seen: Set<object>,
  found: (string | number)[][],
): void {
  if (typeof input !== "object" || input === null || seen.has(input)) return;
  seen.add(input);
  if (Array.isArray(input) && Array.isArray(output)) {
    const n = Math.min(input.length, output.length);
    for (let i = 0; i < n; i++) droppedKeys(input[i], output[i], [...path, i], seen, found);
  } else if (isPlainObject(input) && isPlainObject(output)) {
    for (const key of Object.keys(input)) {
      if (input[key] === undefined) continue;
      if (!Object.hasOwn(output, key)) found.push([...path, key]);
      else droppedKeys(input[key], output[key], [...path, key], seen, found);
    }
  }
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
  const events = Object.hasOwn(catalog, channel) ? catalog[channel] : undefined;
  const schema = events !== undefined && Object.hasOwn(events, event) ? events[event] : undefined;
  if (schema === undefined) return unknownEvent(catalog, channel, event);
  const result = schema.safeParse(payload);
  let issues: Issue[];
  if (result.success) {
    if (unknownKeys === "strip") return result.data;
    const dropped: (string | number)[][] = [];
    droppedKeys(payload, result.data, [], new Set(), dropped);
    if (dropped.length === 0) return result.data;
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
