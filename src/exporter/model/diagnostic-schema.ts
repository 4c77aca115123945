import { z } from "zod";

// Apart from the aggregate report's schema, which only a run reading a report back needs: an
// incremental run checks its state's diagnostics with this one, and building the whole report
// schema as well cost it about 8 ms (measured apart: 17-19 ms against 8-13 ms).

/** One diagnostic as reports and the ETL state keep it. */
export const diagnosticSchema = z.object({
  file: z.string(),
  line: z.number().int().nonnegative(),
  code: z
    .string()
    .describe(
      "A stable diagnostic code (docs/cli.md): the errors invalid_json, schema_violation, unsupported_schema_version, invalid_timestamp, truncated_line, line_too_long, invalid_utf8, unreadable_file, invalid_gzip; the warnings timestamp_without_zone, missing_input, pending_line, vanished_file",
    ),
  severity: z.enum(["error", "warning"]),
  message: z.string(),
  path: z.array(z.union([z.string(), z.number()])).optional(),
  excerpt: z.string().optional(),
});
