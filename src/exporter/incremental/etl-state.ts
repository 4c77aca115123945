import { createHash } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import { z } from "zod";
import { PACKAGE_NAME, packageVersion } from "../../version.js";
import type { EventFilters } from "../filters.js";
import { diagnosticSchema, REPORT_VERSION } from "../report-schema.js";
import { writeTextFile } from "../write-json-file.js";

/** Version of the state file's format. */
export const STATE_VERSION = 1;

/** The state file's name inside the ETL output directory. */
export const STATE_FILE = ".etl-state.json";

const count = z.number().int().nonnegative();

const identitySchema = z.object({
  dev: z.string(),
  ino: z.string(),
  size: count,
  mtime_ms: z.number(),
  head_bytes: count,
  head_sha256: z.string(),
});

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

const fileStateSchema = z.object({
  path: z.string(),
  identity: identitySchema,
  /** Bytes read: the end of the file's last complete line. */
  offset: count,
  /** Lines before `offset`. */
  lines: count,
  tally: tallySchema,
});

/** The incremental ETL's memory of what it has read (`<output-dir>/.etl-state.json`). */
export const etlStateSchema = z.object({
  state_version: z.literal(STATE_VERSION),
  generator: z.object({ name: z.string(), version: z.string() }),
  /** Hash of everything that changes what a line contributes: inputs, filters, limits, version. */
  key: z.string(),
  events_output: z.object({
    identity: identitySchema.omit({ head_bytes: true, head_sha256: true }),
    /** Bytes of the file holding the events of complete lines only (the rest is rewritten). */
    committed_bytes: count,
    committed_events: count,
  }),
  files: z.array(fileStateSchema),
});

/** The ETL state. */
export type EtlState = z.infer<typeof etlStateSchema>;

/** A file's tally as the state keeps it. */
export type SavedTally = z.infer<typeof tallySchema>;

/** One input file's entry in the state. */
export type FileState = EtlState["files"][number];

/** The state key of a run: a state written under another key does not describe this run. */
export function stateKey(
  inputs: readonly string[],
  filters: EventFilters | undefined,
  maxLineBytes: number,
): string {
  const described = JSON.stringify({
    inputs,
    filters: filters ?? {},
    maxLineBytes,
    generator: packageVersion(),
    report: REPORT_VERSION,
  });
  return createHash("sha256").update(described).digest("hex");
}

/** Reads the state at `path`: the state, or why it cannot be used (then a full run is done). */
export async function readEtlState(
  path: string,
  key: string,
): Promise<{ state: EtlState } | { reason: string }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    return { reason: code === "ENOENT" ? "no state yet" : `state file unreadable (${code})` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { reason: "state file is corrupt (not JSON); ignored" };
  }
  const version = (value as { state_version?: unknown } | null)?.state_version;
  if (version !== STATE_VERSION) {
    return { reason: `state file is from another version (${String(version)}); ignored` };
  }
  const parsed = etlStateSchema.safeParse(value);
  if (!parsed.success) return { reason: "state file is corrupt (not a valid state); ignored" };
  if (parsed.data.key !== key) {
    return { reason: "state file is from other inputs, filters or tool version; ignored" };
  }
  return { state: parsed.data };
}

/** Writes the state atomically. */
export function writeEtlState(
  path: string,
  state: Omit<EtlState, "state_version" | "generator">,
  inputs: readonly string[],
): Promise<void> {
  const full: EtlState = {
    state_version: STATE_VERSION,
    generator: { name: PACKAGE_NAME, version: packageVersion() },
    ...state,
  };
  return writeTextFile(path, `${JSON.stringify(full)}\n`, inputs);
}

/** Removes the state, so the next incremental run is a full one. */
export async function removeEtlState(path: string): Promise<void> {
  await rm(path, { force: true });
}
