import { z } from "zod";
import { telemetryEventV1Schema } from "./event-schema.js";

/** The JSON Schema (draft 2020-12) of `telemetry_event_v1`, generated from the zod schema. */
export function eventJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(telemetryEventV1Schema, { io: "input", target: "draft-2020-12" });
}
