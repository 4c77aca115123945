// Writes the JSON Schema files in schema/ from their zod definitions (the single source of truth).
import { writeFileSync } from "node:fs";
import { aggregateReportJsonSchema } from "../src/exporter/index.js";
import { eventJsonSchema } from "../src/schema/index.js";

const files = {
  "telemetry_event_v1.schema.json": eventJsonSchema(),
  "telemetry_aggregates.schema.json": aggregateReportJsonSchema(),
};
for (const [name, schema] of Object.entries(files)) {
  const target = new URL(`../schema/${name}`, import.meta.url);
  writeFileSync(target, `${JSON.stringify(schema, null, 2)}\n`);
  process.stdout.write(`wrote ${target.pathname}\n`);
}
