import { z } from "zod";
import { currentHeader, readMarkSchema, stateHeader } from "./state-file.js";

/** The state file's name inside a partitioned export (readers skip names starting with "."). */
export const EXPORT_STATE_FILE = ".export-state.json";

const count = z.number().int().nonnegative();

/** An incremental partitioned export's memory of what it has read and written. */
export const exportStateSchema = z.object({
  ...stateHeader,
  files: z.array(readMarkSchema),
  /** Per partition path: the number of its next part file. */
  parts: z.record(z.string(), count),
  /** Part files holding events of unfinished last lines: replaced by every run. */
  tails: z.array(z.string()),
});

/** The export state. */
export type ExportState = z.infer<typeof exportStateSchema>;

/** The state as JSON text, ready to be written into the export. */
export function exportStateText(
  key: string,
  state: Omit<ExportState, "state_version" | "generator" | "key">,
): string {
  const full: ExportState = { ...currentHeader(key), ...state };
  return `${JSON.stringify(full)}\n`;
}
