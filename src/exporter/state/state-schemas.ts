// The state files' shapes. A state read back is checked against them before it is trusted (see
// check-state.ts): its checksum has no key, so it proves only that the file is whole.
import { z } from "zod";
import { tallySchema } from "../model/saved-tally.js";

const count = z.number().int().nonnegative();

/** A file's identity as states keep it. */
export const identitySchema = z.object({
  dev: z.string(),
  ino: z.string(),
  size: count,
  mtime_ms: z.number(),
  head_bytes: count,
  head_sha256: z.string(),
});

/** How far one input file was read. */
export const readMarkSchema = z.object({
  path: z.string(),
  identity: identitySchema,
  /** Bytes read: the end of the file's last complete line. */
  offset: count,
  /** Lines before `offset`. */
  lines: count,
});

/**
 * Archived files folded into one entry per channel (the live file's path, state/fold-archived.ts):
 * the oldest and newest of them in input order, and how many. Their read marks are dropped: no
 * run matches a deleted file's mark again.
 */
const foldedSchema = z.object({
  first_path: z.string(),
  last_path: z.string(),
  files: z.number().int().positive(),
});

/** Fields every state has. */
const stateHeader = {
  state_version: z.number().int(),
  generator: z.object({ name: z.string(), version: z.string() }),
  /** Hash of everything that changes what a line contributes: inputs, filters, limits, version. */
  key: z.string(),
};

/** The incremental ETL's memory of what it has read (`<output-dir>/.etl-state.json`). */
export const etlStateSchema = z.object({
  ...stateHeader,
  events_output: z.object({
    identity: identitySchema.omit({ head_bytes: true, head_sha256: true }),
    /** Bytes of the file holding the events of complete lines only (the rest is rewritten). */
    committed_bytes: count,
    committed_events: count,
    /** The events file the last run replaced, kept to be continued by the next (no copy). */
    spare: z
      .object({
        identity: identitySchema.omit({ head_bytes: true, head_sha256: true }),
        committed_bytes: count,
      })
      .optional(),
  }),
  files: z.array(readMarkSchema.extend({ tally: tallySchema })),
  /** Files read to their end, then deleted (retention): their events stay in the outputs. */
  archived: z.array(readMarkSchema.extend({ tally: tallySchema })),
  /** Older archived files, folded: their sizes and tallies summed (absent before format 5). */
  folded: z.array(foldedSchema.extend({ bytes: count, tally: tallySchema })).optional(),
});

/** An incremental partitioned export's memory of what it has read and written. */
export const exportStateSchema = z.object({
  ...stateHeader,
  files: z.array(readMarkSchema),
  /** Files read to their end, then deleted (retention): their rows stay in the part files. */
  archived: z.array(readMarkSchema),
  /** Older archived files, folded (absent before format 5). */
  folded: z.array(foldedSchema).optional(),
  /** Per partition path: the number of its next part file. */
  parts: z.record(z.string(), count),
  /** Part files holding events of unfinished last lines: replaced by every run. */
  tails: z.array(z.string()),
});

/** The ETL state. */
export type EtlState = z.infer<typeof etlStateSchema>;

/** The export state. */
export type ExportState = z.infer<typeof exportStateSchema>;

/** Archived files of one channel folded into one entry. */
export type FoldedFiles = z.infer<typeof foldedSchema>;
