// Writes schema/telemetry_event_v1.schema.json from the zod schema (the single source of truth).
import { writeFileSync } from "node:fs";
import { eventJsonSchema } from "../src/schema/index.js";

const target = new URL("../schema/telemetry_event_v1.schema.json", import.meta.url);
writeFileSync(target, `${JSON.stringify(eventJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${target.pathname}\n`);
