import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { PACKAGE_NAME, packageVersion } from "../../version.js";
import { DEFAULT_INPUTS, DEFAULT_MAX_LINE_BYTES } from "../defaults.js";
import type { ReadOptions } from "../read-options.js";

/** Version of the state files' format. */
export const STATE_VERSION = 1;

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

/** Fields every state file has. */
export const stateHeader = {
  state_version: z.literal(STATE_VERSION),
  generator: z.object({ name: z.string(), version: z.string() }),
  /** Hash of everything that changes what a line contributes: inputs, filters, limits, version. */
  key: z.string(),
};

/** The header values of a state written now. */
export function currentHeader(key: string) {
  return {
    state_version: STATE_VERSION,
    generator: { name: PACKAGE_NAME, version: packageVersion() },
    key,
  } as const;
}

/** A key naming what a state describes; a state written under another key is ignored. */
export function stateKey(described: Record<string, unknown>): string {
  const text = JSON.stringify({ ...described, generator: packageVersion() });
  return createHash("sha256").update(text).digest("hex");
}

/**
 * The inputs of an incremental run and its state key: everything that changes what a line
 * contributes (inputs as given, filters, line limit) plus what the caller adds.
 */
export function runKey(
  kind: string,
  options: ReadOptions,
  extra: Record<string, unknown> = {},
): { inputs: readonly string[]; key: string } {
  const inputs = options.inputs?.length ? options.inputs : DEFAULT_INPUTS;
  const key = stateKey({
    kind,
    inputs,
    filters: options.filters ?? {},
    maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    ...extra,
  });
  return { inputs, key };
}

/** Reads a state file: the state, or why it cannot be used (then a full run is done). */
export async function readStateFile<T extends { key: string }>(
  path: string,
  schema: z.ZodType<T>,
  key: string,
): Promise<{ state: T } | { reason: string }> {
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
  const parsed = schema.safeParse(value);
  if (!parsed.success) return { reason: "state file is corrupt (not a valid state); ignored" };
  if (parsed.data.key !== key) {
    return { reason: "state file is from other inputs, options or tool version; ignored" };
  }
  return { state: parsed.data };
}
