import { rm } from "node:fs/promises";
import { z } from "zod";
import { diagnosticSchema } from "../report-schema.js";
import { writeTextFile } from "../write-json-file.js";
import { currentHeader, identitySchema, readMarkSchema, stateHeader } from "./state-file.js";

/** The state file's name inside the ETL output directory. */
export const STATE_FILE = ".etl-state.json";

const count = z.number().int().nonnegative();

const tallySchema = z.object({
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

/** The incremental ETL's memory of what it has read (`<output-dir>/.etl-state.json`). */
export const etlStateSchema = z.object({
  ...stateHeader,
  events_output: z.object({
    identity: identitySchema.omit({ head_bytes: true, head_sha256: true }),
    /** Bytes of the file holding the events of complete lines only (the rest is rewritten). */
    committed_bytes: count,
    committed_events: count,
  }),
  files: z.array(readMarkSchema.extend({ tally: tallySchema })),
});

/** The ETL state. */
export type EtlState = z.infer<typeof etlStateSchema>;

/** A file's tally as the state keeps it. */
export type SavedTally = z.infer<typeof tallySchema>;

/** One input file's entry in the state. */
export type FileState = EtlState["files"][number];

/** Writes the state atomically. */
export function writeEtlState(
  path: string,
  key: string,
  state: Omit<EtlState, "state_version" | "generator" | "key">,
  inputs: readonly string[],
): Promise<void> {
  const full: EtlState = { ...currentHeader(key), ...state };
  return writeTextFile(path, `${JSON.stringify(full)}\n`, inputs);
}

/** Removes the state, so the next incremental run is a full one. */
export async function removeEtlState(path: string): Promise<void> {
  await rm(path, { force: true });
}
