import { readSync } from "node:fs";
import type { z } from "zod";
import { countRunsProblem } from "../model/count-runs-problem.js";
import type { SavedTally } from "../model/saved-tally.js";
import { identifyFile } from "../plan/file-identity.js";
import { readOpenFile } from "../plan/read-open-file.js";
import { archivedPaths, foldedPaths, type Unusable } from "./state-file.js";
import {
  type EtlState,
  type ExportState,
  etlStateSchema,
  exportStateSchema,
} from "./state-schemas.js";

// A state's checksum has no key: it proves the file is whole, not that its content is right (a
// hand edit, a bug, or another run's output can make it wrong). Before any of it is trusted, its
// shape and its consistency with the files it describes are checked; any failure gives the
// reason, and the run starts over.

type Prior<T> = { state: T } | Unusable;

const NEWLINE = 0x0a;

// Bytes [at, at + length) of `path`, or undefined when it cannot be read that far.
function bytesAt(path: string, at: number, length: number): Buffer | undefined {
  return readOpenFile(path, (fd) => {
    const buffer = Buffer.alloc(length);
    return readSync(fd, buffer, 0, length, at) === length ? buffer : undefined;
  });
}

// Checked once a run: zod's compiled fast path (code generated for each object schema) costs
// more to make than it saves on one state. Without it an incremental ETL run with nothing new
// at 10M events took 0.978 of the time (30 alternated pairs).
function shapeProblem(schema: z.ZodType, state: unknown): string | undefined {
  const parsed = schema.safeParse(state, { jitless: true });
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? "" : ` at ${issue.path.join(".")}`;
  return `does not match its schema${where}`;
}

interface Mark {
  readonly path: string;
  readonly offset: number;
  readonly identity: {
    readonly size: number;
    readonly dev: string;
    readonly ino: string;
    readonly head_bytes: number;
    readonly head_sha256: string;
  };
}

// A resume offset must be where a line starts: 0, or just after a "\n" of the input. Inputs
// that are gone or shorter are left to the state match, which says so.
function markProblem(mark: Mark): string | undefined {
  if (mark.offset > mark.identity.size) return `${mark.path}: offset beyond the file's size`;
  if (mark.path.endsWith(".gz")) {
    return mark.offset === mark.identity.size ? undefined : `${mark.path}: a .gz offset mid-file`;
  }
  if (mark.offset === 0) return undefined;
  // Rotated since: another file (a new live file, maybe on a reused inode) holds the name; the
  // state match follows the mark to where its file is now.
  const now = identifyFile(mark.path, mark.identity.head_bytes);
  if (
    now !== undefined &&
    (now.dev !== mark.identity.dev ||
      now.ino !== mark.identity.ino ||
      now.head_sha256 !== mark.identity.head_sha256)
  ) {
    return undefined;
  }
  const before = bytesAt(mark.path, mark.offset - 1, 1);
  if (before !== undefined && before[0] !== NEWLINE) {
    return `${mark.path}: offset ${mark.offset} is not at a line boundary`;
  }
  return undefined;
}

// The events file holds `committed_events` events in its first `committed_bytes` bytes, with no
// closing bracket; after them come the events of unfinished lines (",\n…") and "\n]\n".
function eventsProblem(state: EtlState, eventsPath: string): string | undefined {
  const { committed_bytes: bytes, committed_events: events, identity } = state.events_output;
  // Archived files' events are in the prefix too: they were committed before the files went.
  const valid = tallied(state).reduce((n, f) => n + f.tally.valid, 0);
  if (valid !== events) return `it counts ${events} committed events, its files ${valid}`;
  // Another events file than the one recorded: the state match says so, and starts over.
  const now = identifyFile(eventsPath, 0);
  if (now?.dev !== identity.dev || now.ino !== identity.ino || now.size !== identity.size) {
    return undefined;
  }
  if (events === 0) {
    const start = bytesAt(eventsPath, 0, 1);
    return bytes === 0 && start?.toString() === "[" ? undefined : "its empty prefix is not empty";
  }
  if (bytes + 3 > identity.size) return "its committed bytes run past the events file's end";
  const around = bytesAt(eventsPath, bytes - 1, 3)?.toString("latin1");
  const end = bytesAt(eventsPath, identity.size - 2, 2)?.toString("latin1");
  const boundary = around === "},\n" || around === "}\n]";
  if (!boundary || end !== "]\n") {
    return `its committed bytes (${bytes}) are not at an event boundary of the events file`;
  }
  return undefined;
}

// Every tally a state keeps: its files', its archived files', and its folded ones' (named by the
// oldest of them; a folded entry has no line count of its own beside its tally's).
function tallied(state: EtlState): { path: string; lines: number; tally: SavedTally }[] {
  const folded = (state.folded ?? []).map((f) => ({
    path: `${f.first_path} (${f.files} folded)`,
    lines: f.tally.lines,
    tally: f.tally,
  }));
  return [...state.files, ...state.archived, ...folded];
}

function etlProblem(state: EtlState, eventsPath: string): string | undefined {
  for (const file of tallied(state)) {
    const t = file.tally;
    if (file.lines !== t.lines || t.lines !== t.valid + t.invalid + t.blank + t.filtered) {
      return `${file.path}: its line counts do not add up`;
    }
    const counts = countRunsProblem(t);
    if (counts !== undefined) return `${file.path}: ${counts}`;
    if (t.versions.reduce((n, [, v]) => n + v, 0) !== t.valid) {
      return `${file.path}: its schema versions' counts do not add up to its valid events`;
    }
  }
  const problem = state.files.map(markProblem).find((p) => p !== undefined);
  if (problem !== undefined) return problem;
  return eventsProblem(state, eventsPath);
}

/** The ETL state, if its shape and its consistency with the inputs and events file hold. */
export function checkEtlState(prior: Prior<unknown>, eventsPath: string): Prior<EtlState> {
  if (!("state" in prior)) return prior;
  const problem =
    shapeProblem(etlStateSchema, prior.state) ?? etlProblem(prior.state as EtlState, eventsPath);
  return problem === undefined ? { state: prior.state as EtlState } : inconsistent(prior, problem);
}

/** The export state, if its shape holds and its offsets are at line starts of the inputs. */
export function checkExportState(
  prior: Prior<unknown>,
  tailExists: (relative: string) => boolean,
): Prior<ExportState> {
  if (!("state" in prior)) return prior;
  const shape = shapeProblem(exportStateSchema, prior.state);
  const state = prior.state as ExportState;
  const problem =
    shape ??
    state.files.map(markProblem).find((p) => p !== undefined) ??
    state.tails.filter((t) => !tailExists(t)).map((t) => `its part file ${t} is missing`)[0];
  return problem === undefined ? { state } : inconsistent(prior, problem);
}

// Read whole, yet not to be continued: the files it kept as archived are named, as for a state of
// other inputs, since their events leave the outputs with it.
function inconsistent(prior: { state: unknown }, problem: string): Unusable {
  return {
    reason: `state file is inconsistent (${problem}); ignored`,
    archived: archivedPaths(prior.state),
    folded: foldedPaths(prior.state),
  };
}
