// A file's tally as states keep it, so that a later run can continue it (see file-tally.ts).
import { z } from "zod";
import { diagnosticSchema } from "./report-schema.js";

const count = z.number().int().nonnegative();

/** A file's tally as the ETL state keeps it. */
export const tallySchema = z.object({
  lines: count,
  valid: count,
  invalid: count,
  blank: count,
  filtered: count,
  warnings: count,
  first_timestamp: z.string().nullable(),
  last_timestamp: z.string().nullable(),
  counts: z.array(z.tuple([z.string(), z.string(), z.string(), count])),
  versions: z.array(z.tuple([z.string(), count])),
  by_code: z.record(z.string(), count),
  kept: z.array(diagnosticSchema),
});

/** A file's tally as the ETL state keeps it. */
export type SavedTally = z.infer<typeof tallySchema>;
