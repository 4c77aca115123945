import { lstat, rm } from "node:fs/promises";
import type { FileTally } from "../model/file-tally.js";
import type { FileIdentity } from "../plan/file-identity.js";
import type { PlannedFile } from "../plan/plan-segments.js";
import type { WrittenIdentity } from "../sinks/output-sink.js";
import type { SpareMark } from "../sinks/spare-file-sink.js";
import { writeTextFile } from "../sinks/text-file.js";
import type { FoldedTally } from "./fold-archived.js";
import { nextMarks } from "./next-marks.js";
import { currentHeader, stateText } from "./state-file.js";
import type { EtlState } from "./state-schemas.js";

export type { EtlState } from "./state-schemas.js";

/** The state file's name inside the ETL output directory. */
export const STATE_FILE = ".etl-state.json";

/** One input file's entry in the state. */
export type FileState = EtlState["files"][number];

/** Writes the state atomically. */
export async function writeEtlState(
  path: string,
  key: string,
  state: Omit<EtlState, "state_version" | "generator" | "key">,
): Promise<void> {
  const full: EtlState = { ...currentHeader(key), ...state };
  // The run's own file, written holding the lock: a FIFO or device in its place is no output the
  // user chose, and written into as one it held the run until a reader came. It was read as no
  // state; it goes, and the state takes its name (killed in between: no state, a full run next).
  const there = await lstat(path).catch(() => undefined);
  if (there !== undefined && !there.isFile() && !there.isSymbolicLink() && !there.isDirectory()) {
    await rm(path, { force: true });
  }
  return writeTextFile(path, stateText(full));
}

/** Removes the state, so the next incremental run is a full one. */
export async function removeEtlState(path: string): Promise<void> {
  await rm(path, { force: true });
}

/**
 * Saves what an ETL run read, once every output it describes is in place; a file that could not
 * be read to its end saves no state of this run (the previous one stays), so the next run does not
 * trust a partial read (see next-marks.ts).
 */
export async function saveEtlState(
  paths: { readonly events: string; readonly state: string },
  key: string,
  read: {
    readonly planned: readonly PlannedFile[];
    readonly committed: readonly FileTally[];
    readonly errors: readonly (string | undefined)[];
    readonly identities: ReadonlyMap<string, FileIdentity>;
    readonly saved: ReadonlyMap<string, FileState>;
    readonly unidentified: ReadonlySet<string>;
  },
  prefix: {
    bytes: number;
    events: number;
    output: WrittenIdentity | undefined;
    spare: SpareMark | undefined;
  },
  archived: readonly FileState[],
  folded: readonly FoldedTally[],
): Promise<void> {
  const output = prefix.output;
  // A file not read to its end (changed in place, not identified): the state of the run before
  // is left as it was, as a killed run leaves it, not removed. The next run then puts back the
  // events file it names (this run's spare) and continues from it; removed, the next run was a
  // full one that dropped every archived file's events without naming them.
  const { planned, errors, identities, saved, unidentified } = read;
  const next = nextMarks(planned, errors, identities, saved, unidentified, (file, i, id) => {
    const tally = read.committed[i] as FileTally;
    return {
      path: file.path,
      identity: id,
      offset: file.committedEnd ?? file.bytes,
      lines: tally.counters.lines,
      tally: tally.save(),
    };
  });
  if ("unread" in next) return;
  if (output === undefined) {
    await removeEtlState(paths.state);
    return;
  }
  await writeEtlState(paths.state, key, {
    events_output: {
      identity: output,
      committed_bytes: prefix.bytes,
      committed_events: prefix.events,
      ...(prefix.spare === undefined ? {} : { spare: prefix.spare }),
    },
    files: next.marks,
    archived: [...archived],
    folded: [...folded],
  });
}
