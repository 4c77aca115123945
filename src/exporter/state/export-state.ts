import { currentHeader, stateText } from "./state-file.js";
import type { ExportState } from "./state-schemas.js";

export type { ExportState } from "./state-schemas.js";

/** The state file's name inside a partitioned export (readers skip names starting with "."). */
export const EXPORT_STATE_FILE = ".export-state.json";

/** The state as the text of its file, ready to be written into the export. */
export function exportStateText(
  key: string,
  state: Omit<ExportState, "state_version" | "generator" | "key">,
): string {
  return stateText({ ...currentHeader(key), ...state } satisfies ExportState);
}
