import type { z } from "zod";
import { TelemetryError } from "../errors/index.js";
import { describeError, describeValue } from "./describe-value.js";
import type { Catalog } from "./options.js";

type Schema = z.ZodType<Record<string, unknown>>;

// Own properties only: a catalogue is a plain object, and names such as "constructor",
// "toString" or "__proto__" must not find what Object.prototype holds.
function own<T>(table: { readonly [key: string]: T }, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function unknownEvent(channel: string, event: string): never {
  throw new TelemetryError("unknown_event", `event ${channel}/${event} is not in the catalog`);
}

/** Throws `unknown_event` unless the catalogue lists `channel`. */
export function checkCatalogChannel(catalog: Catalog, channel: string, event: unknown): void {
  if (own(catalog, channel) === undefined) {
    const named = typeof event === "string" ? event.slice(0, 200) : describeValue(event);
    unknownEvent(channel.slice(0, 200), named);
  }
}

/**
 * Validates `payload` against the catalogue's schema for `channel`/`event` and returns what the
 * schema produced. Throws `unknown_event` or `invalid_payload` (also when the payload cannot
 * even be read, e.g. a throwing getter: the schema's exception is kept as the cause).
 */
export function applyCatalog(
  catalog: Catalog,
  channel: string,
  event: string,
  payload: unknown,
): unknown {
  const events = own(catalog, channel);
  const schema: Schema | undefined = events === undefined ? undefined : own(events, event);
  if (schema === undefined) unknownEvent(channel, event);
  let result: ReturnType<Schema["safeParse"]>;
  try {
    result = schema.safeParse(payload);
  } catch (cause) {
    throw new TelemetryError(
      "invalid_payload",
      `payload could not be checked against the catalog for ${channel}/${event}: ${describeError(cause)}`,
      { cause },
    );
  }
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    code: "invalid_payload",
    path: ["payload", ...issue.path.map(String)],
    message: issue.message,
  }));
  const first = issues[0];
  throw new TelemetryError(
    "invalid_payload",
    `payload does not match the catalog for ${channel}/${event}: ${first?.path.join(".")}: ${first?.message}`,
    { issues },
  );
}
