import { z } from "zod";

const count = z.number().int().nonnegative();
const counts = z.record(z.string(), count);
const timestamp = z.string().describe("Canonical UTC timestamp");

import { diagnosticSchema } from "./diagnostic-schema.js";
import { REPORT_VERSION } from "./report-version.js";

export { diagnosticSchema, REPORT_VERSION };

/** One input file in the inventory. */
export const fileInventorySchema = z.object({
  path: z.string(),
  bytes: count.describe("Size on disk (compressed size for .gz)"),
  lines: count,
  valid: count,
  invalid: count,
  blank: count,
  filtered: count.describe("Valid events left out by filters"),
  warnings: count,
  first_timestamp: timestamp.nullable().describe("Earliest valid event"),
  last_timestamp: timestamp.nullable().describe("Latest valid event"),
  error: z.string().optional().describe("Why the file could not be read to its end"),
  archived: z
    .literal(true)
    .optional()
    .describe("Read to its end by an earlier incremental run, then deleted: its counts are kept"),
  folded: z
    .object({
      files: z.number().int().positive(),
      last_path: z.string().describe("The newest of them; `path` is the oldest"),
    })
    .optional()
    .describe(
      "An entry of several archived files of one channel, folded into one: their counts and sizes summed",
    ),
});

/** The aggregate report written by `aggregate` and `etl` (`telemetry_aggregates.json`). */
export const aggregateReportSchema = z
  .object({
    report_version: z.literal(REPORT_VERSION),
    generated_at: timestamp,
    generator: z.object({ name: z.string(), version: z.string() }),
    inputs: z.array(z.string()).describe("The --input values as given"),
    filters: z
      .object({
        channels: z.array(z.string()).optional(),
        events: z.array(z.string()).optional(),
        since: z.string().optional(),
        until: z.string().optional(),
      })
      .optional(),
    totals: z.object({
      files: count,
      lines: count,
      valid: count.describe("Valid events counted in the maps below (after filters)"),
      invalid: count,
      blank: count,
      warnings: count,
      filtered: count.optional().describe("Present when filters apply"),
    }),
    by_channel: counts,
    by_event: counts,
    by_day: counts.describe("UTC day (YYYY-MM-DD) -> count"),
    by_channel_event: z.record(z.string(), counts),
    by_channel_day: z.record(z.string(), counts),
    time_range: z.object({ first: timestamp, last: timestamp }).nullable(),
    schema_versions: counts,
    inventory: z.object({
      files: z.array(fileInventorySchema),
      missing: z.array(z.string()).describe("Inputs that did not exist"),
    }),
    anomalies: z.object({
      by_code: counts,
      errors: count,
      warnings: count,
      first: z.array(diagnosticSchema).describe("The first 20 diagnostics"),
      examples: z
        .record(z.string(), z.array(diagnosticSchema))
        .describe("The first 3 diagnostics of each code, in input order"),
    }),
  })
  .meta({ id: "telemetry_aggregates", title: "Telemetry aggregate report" });

/** One diagnostic as the report keeps it. */
export type ReportDiagnostic = z.infer<typeof diagnosticSchema>;

/** The aggregate report. */
export type AggregateReport = z.infer<typeof aggregateReportSchema>;

/** One input file's inventory entry. */
export type FileInventory = z.infer<typeof fileInventorySchema>;

/** The JSON Schema of the aggregate report, generated from its zod definition. */
export function aggregateReportJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(aggregateReportSchema, { target: "draft-2020-12" });
}
