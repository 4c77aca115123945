// Builders shared by the tests: a fixed clock for the reports' `generated_at`, and event lines
// as the Tracker writes them (the five fields in the schema's order, one JSON object a line).

/** The clock every report test fixes `generated_at` with. */
export const NOW = (): Date => new Date("2026-01-02T03:04:05.000Z");

/** The fields of one event line; each has a plain default. */
export interface LineFields {
  readonly channel?: string;
  readonly event?: string;
  readonly timestamp?: string | Date;
  readonly payload?: unknown;
}

/** One `telemetry_event_v1` event as a JSON line, without its newline. */
export function eventLine(fields: LineFields = {}): string {
  const { channel = "user", event = "e", timestamp = "2025-03-01T10:00:00.000Z" } = fields;
  return JSON.stringify({
    schema_version: "telemetry_event_v1",
    channel,
    event,
    timestamp: typeof timestamp === "string" ? timestamp : timestamp.toISOString(),
    payload: fields.payload ?? {},
  });
}
