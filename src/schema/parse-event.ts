import type { z } from "zod";
import type { Issue } from "../errors/index.js";
import type { TelemetryEvent } from "./event-schema.js";
import { fastParseEvent, isPlainJsonText } from "./fast-parse.js";
import { checkJsonShape, MAX_PAYLOAD_DEPTH } from "./json-shape.js";
import { setOwn } from "./own-property.js";
import { isSupportedSchemaVersion, SUPPORTED_SCHEMA_VERSIONS, schemaRegistry } from "./registry.js";
import { timestampHasZone } from "./timestamp.js";

/** Codes of the problems {@link parseEvent} reports. */
export type EventIssueCode =
  | "schema_violation"
  | "unsupported_schema_version"
  | "invalid_timestamp";

/** Codes of the warnings {@link parseEvent} reports on a valid event. */
export type EventWarningCode = "timestamp_without_zone";

/** A problem that makes a value not a valid event. */
export interface EventIssue extends Issue {
  readonly code: EventIssueCode;
}

/** Something worth knowing about a valid event. */
export interface EventWarning extends Issue {
  readonly code: EventWarningCode;
}

/** The outcome of {@link parseEvent}: the canonical event, or the issues that prevent it. */
export type ParseEventResult =
  | {
      readonly ok: true;
      readonly event: TelemetryEvent;
      readonly warnings: readonly EventWarning[];
    }
  | { readonly ok: false; readonly issues: readonly EventIssue[] };

const CORE_KEYS = new Set(["schema_version", "channel", "event", "timestamp", "payload"]);
const NO_WARNINGS: readonly EventWarning[] = Object.freeze([]);

function failure(code: EventIssueCode, path: (string | number)[], message: string) {
  return { ok: false, issues: [{ code, path, message }] } as const;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// Never throws (BigInt, symbols and functions have no JSON form): this text goes into messages.
function describe(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value.slice(0, 80)) : `(${typeof value})`;
}

function toIssues(error: z.ZodError): EventIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
    const code: EventIssueCode = path[0] === "timestamp" ? "invalid_timestamp" : "schema_violation";
    const where = path.length > 0 ? `${path.join(".")}: ` : "";
    return { code, path, message: `${where}${issue.message}` };
  });
}

/**
 * Validates any value as a telemetry event and returns it in canonical form: core fields first
 * in schema order, timestamp normalised to UTC, unknown top-level fields kept after them.
 *
 * The payload is kept as given (not copied by the validator), so keys such as `__proto__`
 * survive as data.
 */
export function parseEvent(value: unknown): ParseEventResult {
  const event = fastParseEvent(value);
  return event === undefined
    ? parseEventWithSchema(value)
    : { ok: true, event, warnings: NO_WARNINGS };
}

/**
 * {@link parseEvent} for `JSON.parse(text)` where `text` is a valid UTF-8 line: the same result,
 * with checks the text already rules out skipped.
 */
export function parseEventFromText(value: unknown, text: string): ParseEventResult {
  const event = fastParseEvent(value, isPlainJsonText(text));
  return event === undefined
    ? parseEventWithSchema(value)
    : { ok: true, event, warnings: NO_WARNINGS };
}

/** {@link parseEvent} through the zod schema alone (the authority the fast path must match). */
export function parseEventWithSchema(value: unknown): ParseEventResult {
  if (!isPlainObject(value)) {
    return failure("schema_violation", [], "event must be a JSON object");
  }
  const version = value.schema_version;
  if (version === undefined) {
    return failure("schema_violation", ["schema_version"], "schema_version is missing");
  }
  if (!isSupportedSchemaVersion(version)) {
    return failure(
      "unsupported_schema_version",
      ["schema_version"],
      `unsupported schema_version ${describe(version)}; this build reads ${SUPPORTED_SCHEMA_VERSIONS.join(", ")}`,
    );
  }
  // Before zod: its recursive checks must only ever see bounded depth.
  // Extra top-level fields keep their numbers' text as written, whatever it reads as.
  const problem = checkJsonShape(value, MAX_PAYLOAD_DEPTH + 1, "payload");
  if (problem?.kind === "too_deep") {
    // The top-level field the too deep value is in: the payload, or an extra field (whose value
    // counts as level 1 too), named as the line names it.
    const field = String(problem.path[0] ?? "payload");
    return failure(
      "schema_violation",
      [field],
      `${field} is nested deeper than ${MAX_PAYLOAD_DEPTH} levels`,
    );
  }
  if (problem?.kind === "ill_formed_text") {
    const where = problem.path.join(".");
    return failure(
      "schema_violation",
      [...problem.path],
      `${where}: text contains a lone UTF-16 surrogate (not valid Unicode)`,
    );
  }
  if (problem?.kind === "not_finite") {
    // zod would name only the union the number sits in ("Invalid input"), not the number.
    const why = Number.isNaN(problem.value)
      ? "NaN is not a JSON number"
      : "number beyond a double's range (JSON parsers read it as infinity); send it as a string to keep it";
    return failure("schema_violation", [...problem.path], `${problem.path.join(".")}: ${why}`);
  }
  const parsed = schemaRegistry[version].safeParse(value);
  if (!parsed.success) return { ok: false, issues: toIssues(parsed.error) };
  const event: Record<string, unknown> = {
    schema_version: version,
    channel: parsed.data.channel,
    event: parsed.data.event,
    timestamp: parsed.data.timestamp,
    payload: value.payload,
  };
  for (const key of Object.keys(value)) {
    if (!CORE_KEYS.has(key)) setOwn(event, key, value[key]);
  }
  const warnings =
    typeof value.timestamp === "string" && !timestampHasZone(value.timestamp)
      ? [
          {
            code: "timestamp_without_zone" as const,
            path: ["timestamp"],
            message: "timestamp has no zone; read as UTC",
          },
        ]
      : NO_WARNINGS;
  return { ok: true, event: event as TelemetryEvent, warnings };
}
