import { z } from "zod";
import { CHANNEL_PATTERN, EVENT_NAME_MAX_LENGTH, SCHEMA_VERSION_V1 } from "./constants.js";
import { isWellFormedText, MAX_PAYLOAD_DEPTH } from "./json-shape.js";
import { normalizeTimestamp, TIMESTAMP_PATTERN, TIMESTAMP_SCHEMA_PATTERN } from "./timestamp.js";
import { timestampStringProblem } from "./timestamp-problem.js";

export { CHANNEL_PATTERN, EVENT_NAME_MAX_LENGTH, SCHEMA_VERSION_V1 };

// C0 controls, DEL and C1 controls: invisible, and some terminals act on them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const NO_CONTROL_CHARS = /^[^\x00-\x1f\x7f-\x9f]*$/;

// The JSON Schema's patterns end in `$`, which Python's `re` and Java's `java.util.regex` (what
// their JSON Schema validators use) also match before a final line terminator: `"user\n"` would
// pass them. So each string field whose pattern ends in `$` also says, in a `not` that needs no
// anchor (and that every regular expression dialect reads alike), which characters it never
// holds. zod's own checks already refuse these (ECMA-262's `$` is the end), so it is JSON Schema
// only.
function anyCharacterBut(allowed: string): { pattern: string } {
  return { pattern: `[^${allowed}]` };
}

/** A channel name; it becomes `<channel>.jsonl`, so nothing that could name a path passes. */
export const channelSchema = z
  .string()
  .regex(CHANNEL_PATTERN, "channel must match ^[a-z0-9][a-z0-9_-]{0,63}$")
  .meta({ not: anyCharacterBut("a-z0-9_-") })
  .describe("Logical channel; also the file name <channel>.jsonl.");

/**
 * An event name: 1 to 200 characters, counted as Unicode code points (what zod's `max` and JSON
 * Schema's `maxLength` count), no control characters.
 */
export const eventNameSchema = z
  .string()
  .min(1, "event name must not be empty")
  .max(
    EVENT_NAME_MAX_LENGTH,
    `event name must be at most ${EVENT_NAME_MAX_LENGTH} characters (code points)`,
  )
  .regex(NO_CONTROL_CHARS, "event name must not contain control characters")
  .refine(isWellFormedText, "event name must be valid Unicode (no lone surrogates)")
  .meta({ not: { pattern: "[\\x00-\\x1f\\x7f-\\x9f]" } })
  .describe(
    "Event name recorded by the application: 1 to 200 characters (Unicode code points), no control characters.",
  );

/**
 * Whether {@link eventNameSchema} accepts `text`, without zod: for checks over many names (a
 * saved state's, file by file), where a zod parse each cost about a microsecond.
 */
export function isEventName(text: string): boolean {
  if (text.length === 0 || !NO_CONTROL_CHARS.test(text) || !isWellFormedText(text)) return false;
  // Code points, as the schema counts them: within the limit in UTF-16 units, within it anyway.
  return text.length <= EVENT_NAME_MAX_LENGTH || [...text].length <= EVENT_NAME_MAX_LENGTH;
}

const TIMESTAMP_SCHEMA_RE = new RegExp(TIMESTAMP_SCHEMA_PATTERN);
const TIMESTAMP_SHAPE_RE = new RegExp(TIMESTAMP_PATTERN);

function timestampMessage(text: string): string {
  const why = timestampStringProblem(text)?.message ?? "not a date-time";
  return `${why}: ${JSON.stringify(text.slice(0, 80))}`;
}

// A string of the wrong shape is "not an ISO 8601 date-time"; one of the right shape that the
// schema's pattern refuses (a day, hour or offset out of range) gets the parser's reason.
function timestampPatternMessage(text: unknown): string {
  return typeof text === "string" && TIMESTAMP_SHAPE_RE.test(text)
    ? timestampMessage(text)
    : "timestamp must be an ISO 8601 date-time";
}

/** An RFC 3339 date-time, normalised to canonical UTC on parse. */
export const timestampSchema = z
  .string()
  .regex(TIMESTAMP_SCHEMA_RE, { error: (issue) => timestampPatternMessage(issue.input) })
  .transform((text, ctx) => {
    const canonical = normalizeTimestamp(text);
    if (canonical === undefined) {
      ctx.addIssue({ code: "custom", message: timestampMessage(text) });
      return z.NEVER;
    }
    return canonical;
  })
  .meta({ not: anyCharacterBut("0-9TtZz:.,+ -") })
  .describe("ISO 8601 date-time; normalised to UTC (canonical form YYYY-MM-DDTHH:MM:SS.fffZ).");

/**
 * A number JSON can carry, as zod's `z.number()` has it: finite. The JSON Schema says so with
 * bounds, where `1e400` (which Python, Java and JavaScript read as infinity) would otherwise be
 * a number like any other; the exporter refuses it. Bounds as metadata: `z.number()` already
 * refuses infinities, and `.min()`/`.max()` would check every payload number twice more.
 */
const jsonNumberSchema = z.number().meta({ minimum: -Number.MAX_VALUE, maximum: Number.MAX_VALUE });

/** Any JSON value (zod's `z.json()`, with its numbers' bounds written out). */
const jsonValueSchema: z.ZodType<z.core.util.JSONType> = z
  .lazy(() =>
    z.union([
      z.string(),
      jsonNumberSchema,
      z.boolean(),
      z.null(),
      z.array(jsonValueSchema),
      z.record(z.string(), jsonValueSchema),
    ]),
  )
  .meta({ id: "json_value" });

/** The payload: a JSON object with any JSON values inside. */
export const payloadSchema = z
  .record(z.string(), jsonValueSchema)
  .describe(
    `Arbitrary metadata supplied by the caller (a JSON object), nested at most ${MAX_PAYLOAD_DEPTH} levels (the payload object is level 1).`,
  );

/** The `telemetry_event_v1` schema; unknown top-level fields are kept (later revisions add some). */
export const telemetryEventV1Schema = z
  .looseObject({
    schema_version: z.literal(SCHEMA_VERSION_V1),
    channel: channelSchema,
    event: eventNameSchema,
    timestamp: timestampSchema,
    payload: payloadSchema,
  })
  .meta({ id: SCHEMA_VERSION_V1, title: "Telemetry event (v1)" });

/** A validated, canonical `telemetry_event_v1` event. */
export type TelemetryEvent = z.infer<typeof telemetryEventV1Schema>;

/** A `telemetry_event_v1` event as accepted on input (timestamp in any accepted form). */
export type TelemetryEventInput = z.input<typeof telemetryEventV1Schema>;

/** A JSON object payload. */
export type Payload = z.infer<typeof payloadSchema>;
