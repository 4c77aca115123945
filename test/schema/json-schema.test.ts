import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { aggregateReportJsonSchema } from "../../src/exporter/index.js";
import { eventJsonSchema } from "../../src/schema/index.js";

const committedPath = new URL("../../schema/telemetry_event_v1.schema.json", import.meta.url);

describe("committed JSON Schema", () => {
  it("is what the zod schema generates (run `make schema` when this fails)", () => {
    const committed = JSON.parse(readFileSync(committedPath, "utf8"));
    expect(committed).toEqual(eventJsonSchema());
  });

  it("telemetry_aggregates.schema.json is what the report's zod schema generates", () => {
    const path = new URL("../../schema/telemetry_aggregates.schema.json", import.meta.url);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual(aggregateReportJsonSchema());
  });

  it("accepts a valid event and rejects the basic violations, through ajv", () => {
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(committedPath, "utf8")));
    const event = {
      schema_version: "telemetry_event_v1",
      channel: "user",
      event: "Button Clicked",
      timestamp: "2025-03-01T08:00:00.123456Z",
      payload: { nested: { list: [1, "two", null, true] } },
    };
    expect(validate(event)).toBe(true);
    expect(validate({ ...event, channel: "../x" })).toBe(false);
    expect(validate({ ...event, schema_version: "telemetry_event_v2" })).toBe(false);
    expect(validate({ ...event, payload: [] })).toBe(false);
    expect(validate({ ...event, timestamp: "yesterday" })).toBe(false);
    expect(validate({ ...event, event: "" })).toBe(false);
  });
});
