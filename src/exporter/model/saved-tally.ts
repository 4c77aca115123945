// A file's tally as states keep it, so that a later run can continue it (see file-tally.ts).
import { z } from "zod";
import { type CountRun, isCountRun } from "./count-runs.js";
import { diagnosticSchema } from "./diagnostic-schema.js";

const count = z.number().int().nonnegative();

// Checked in one loop: as zod tuples, the rows of a day each took 17 ms of every incremental run
// at 10M events (in their first, cold use), the runs that replaced them a fraction of that.
const countRuns = z.custom<CountRun[]>(
  (runs) => Array.isArray(runs) && runs.every(isCountRun),
  "expected [channel, event, first day, counts] runs, counts non-negative integers",
);

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
  /** Events per channel, event name and day (see count-runs.ts). */
  counts: countRuns,
  versions: z.array(z.tuple([z.string(), count])),
  by_code: z.record(z.string(), count),
  kept: z.array(diagnosticSchema),
});

/** A file's tally as the ETL state keeps it. */
export type SavedTally = z.infer<typeof tallySchema>;
