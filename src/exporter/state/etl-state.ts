import { rm } from "node:fs/promises";
import { writeTextFile } from "../sinks/text-file.js";
import { currentHeader, stateText } from "./state-file.js";
import type { EtlState } from "./state-schemas.js";

export type { EtlState } from "./state-schemas.js";

/** The state file's name inside the ETL output directory. */
export const STATE_FILE = ".etl-state.json";

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
  return writeTextFile(path, stateText(full), inputs);
}

/** Removes the state, so the next incremental run is a full one. */
export async function removeEtlState(path: string): Promise<void> {
  await rm(path, { force: true });
}
