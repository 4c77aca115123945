// The schema's constants, free of zod: the line scanner and the counters use them in threads
// that never load the validators.

/** The `schema_version` value of the first (and current) event schema. */
export const SCHEMA_VERSION_V1 = "telemetry_event_v1";

/** Channel names: a safe file-name token (lower-case letter or digit, then `a-z 0-9 _ -`). */
export const CHANNEL_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/**
 * Longest event name accepted, in Unicode code points (JSON Schema's unit). Fast paths compare
 * UTF-16 code units, never fewer, so they only ever defer a long name to the schema.
 */
export const EVENT_NAME_MAX_LENGTH = 200;
