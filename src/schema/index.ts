export type { CanonicalLine } from "./canonical-line.js";
export { scanCanonicalLine } from "./canonical-line.js";
export type { Payload, TelemetryEvent, TelemetryEventInput } from "./event-schema.js";
export {
  CHANNEL_PATTERN,
  channelSchema,
  EVENT_NAME_MAX_LENGTH,
  eventNameSchema,
  payloadSchema,
  SCHEMA_VERSION_V1,
  telemetryEventV1Schema,
  timestampSchema,
} from "./event-schema.js";
export { eventJsonSchema } from "./json-schema.js";
export { isWellFormedText, MAX_PAYLOAD_DEPTH } from "./json-shape.js";
export type {
  EventIssue,
  EventIssueCode,
  EventWarning,
  EventWarningCode,
  ParseEventResult,
} from "./parse-event.js";
export { parseEvent, parseEventFromText } from "./parse-event.js";
export type { SchemaVersion } from "./registry.js";
export { isSupportedSchemaVersion, SUPPORTED_SCHEMA_VERSIONS, schemaRegistry } from "./registry.js";
export {
  canonicalToEpochMicros,
  compareTimestamps,
  formatEpochMillis,
  normalizeTimestamp,
  timestampHasZone,
  timestampSortKey,
  utcDay,
} from "./timestamp.js";
