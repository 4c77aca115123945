import { createHash } from "node:crypto";
import { PACKAGE_NAME, packageVersion } from "../../version.js";
import type { FoldedArchive, IncrementalOutcome } from "../contracts.js";
import type { ReadPlan } from "../plan/run-plan.js";
import { readPlainFile } from "../sinks/read-plain-file.js";
import { foldedArchives } from "./fold-archived.js";
import type { FoldedFiles } from "./state-schemas.js";

/**
 * Version of the state files' format. 2: a header line with the SHA-256 of the state line, so a
 * state is trusted without validating its shape again (and without loading the validators).
 * 3: marks follow rotated files (renamed, compressed), and files read to their end and since
 * deleted are kept as `archived`. 4: a tally's counts are runs of consecutive days
 * (model/count-runs.ts), not a row per day. 5: archived files beyond the newest
 * 1,000 (ARCHIVED_KEPT) are folded into one entry per channel (`folded`, state/fold-archived.ts).
 * A state of format 4 is read as one with nothing folded: an upgrade continues it.
 */
export const STATE_VERSION = 5;

/** The formats a state may be in and still be continued. */
const READABLE_VERSIONS: ReadonlySet<unknown> = new Set([4, STATE_VERSION]);

/** The header values of a state written now. */
export function currentHeader(key: string) {
  return {
    state_version: STATE_VERSION,
    generator: { name: PACKAGE_NAME, version: packageVersion() },
    key,
  } as const;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** A state's file text: a header line with the version and checksum, then the state's JSON. */
export function stateText(state: object): string {
  const body = JSON.stringify(state);
  return `${JSON.stringify({ state_version: STATE_VERSION, sha256: sha256(body) })}\n${body}\n`;
}

/**
 * A key naming what a state describes; a state written under another key is ignored. The tool's
 * version is not in it: what changes the meaning of a state or of an output from one version to
 * the next has a revision of its own in the key or the header (STATE_VERSION, OUTPUT_REVISION,
 * REPORT_VERSION). With the version in it, every upgrade was a full run, and a full run drops
 * the events of the files retention deleted since they were read (the archived files).
 */
export function stateKey(described: Record<string, unknown>): string {
  return createHash("sha256").update(JSON.stringify(described)).digest("hex");
}

/**
 * The state key of an incremental run: everything that changes what a line contributes (the
 * inputs as given, filters, line limit, as the run's plan has them) plus what the caller adds.
 */
export function runKey(
  kind: string,
  read: Pick<ReadPlan, "inputs" | "filters" | "maxLineBytes">,
  extra: Record<string, unknown> = {},
): string {
  return stateKey({
    kind,
    inputs: read.inputs,
    filters: read.filters ?? {},
    maxLineBytes: read.maxLineBytes,
    ...extra,
  });
}

/**
 * Why a state cannot be used (then a full run is done), and, when it was whole but describes
 * other inputs, options or another version, the files it kept as archived: their events leave
 * the outputs with it.
 */
export interface Unusable {
  readonly reason: string;
  readonly archived?: readonly string[];
  readonly folded?: readonly FoldedArchive[];
  /** A state was there but could not be read (unreadable, corrupt, of an unknown format). */
  readonly unread?: true;
}

/**
 * Reads a state file written by {@link stateText}: the state, or why it cannot be used. Any
 * change to the state's bytes fails the checksum.
 */
export async function readStateFile<T extends { key: string }>(
  path: string,
  key: string,
): Promise<{ state: T } | Unusable> {
  let text: string;
  try {
    // Not a blocking readFile: a FIFO at the state's name would hang the run (read-plain-file.ts).
    text = (await readPlainFile(path, true)).text;
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { reason: "no state yet" };
    return { reason: `state file unreadable (${code})`, unread: true };
  }
  const split = text.indexOf("\n");
  let header: unknown;
  try {
    header = JSON.parse(split === -1 ? text : text.slice(0, split));
  } catch {
    return { reason: "state file is corrupt (not JSON); ignored", unread: true };
  }
  const version = (header as { state_version?: unknown } | null)?.state_version;
  if (!READABLE_VERSIONS.has(version)) {
    return {
      reason: `state file is from another version (${String(version)}); ignored`,
      unread: true,
    };
  }
  const body = text.slice(split + 1).replace(/\n$/, "");
  if ((header as { sha256?: unknown }).sha256 !== sha256(body)) {
    return { reason: "state file is corrupt (its checksum does not match); ignored", unread: true };
  }
  let state: T;
  try {
    state = JSON.parse(body) as T;
  } catch {
    return { reason: "state file is corrupt (not JSON); ignored", unread: true };
  }
  if (state?.key !== key) {
    return {
      reason: "state file is from other inputs or options; ignored",
      archived: archivedPaths(state),
      folded: foldedPaths(state),
    };
  }
  return { state };
}

// The paths a state read whole lists as archived (its shape unchecked: only strings are kept).
export function archivedPaths(state: unknown): string[] {
  const archived = (state as { archived?: unknown } | null)?.archived;
  if (!Array.isArray(archived)) return [];
  return archived
    .map((entry) => (entry as { path?: unknown } | null)?.path)
    .filter((path): path is string => typeof path === "string");
}

// The folded entries a state read whole lists (its shape unchecked: only whole entries are kept).
export function foldedPaths(state: unknown): FoldedArchive[] {
  const folded = (state as { folded?: unknown } | null)?.folded;
  if (!Array.isArray(folded)) return [];
  return folded.flatMap((entry) => {
    const { first_path: first, last_path: last, files } = (entry ?? {}) as Record<string, unknown>;
    return typeof first === "string" && typeof last === "string" && typeof files === "number"
      ? [{ first, last, files }]
      : [];
  });
}

/**
 * The files whose events leave the outputs when a run starts over instead of continuing
 * `stored`: every file it kept as archived, folded ones included (a full run has only the files
 * that exist).
 */
function archivedGone(
  stored:
    | {
        readonly state: {
          readonly archived: readonly { readonly path: string }[];
          readonly folded?: readonly FoldedFiles[] | undefined;
        };
      }
    | Unusable,
): { archived: readonly string[]; folded: readonly FoldedArchive[] } {
  if (!("state" in stored)) return { archived: stored.archived ?? [], folded: stored.folded ?? [] };
  const { archived, folded = [] } = stored.state;
  return {
    archived: archived.map((a) => a.path),
    folded: foldedArchives(folded),
  };
}

/**
 * The outcome's `archived` and `folded`: what an incremental run keeps (`kept`), or, for a full
 * run (`kept` undefined), what `stored` kept and the outputs have lost.
 */
export function namedArchives(
  stored: Parameters<typeof archivedGone>[0],
  kept:
    | {
        readonly archived: readonly { readonly path: string }[];
        readonly folded: readonly FoldedFiles[];
      }
    | undefined,
): Pick<IncrementalOutcome, "archived" | "folded" | "stateUnread"> {
  const named =
    kept === undefined
      ? archivedGone(stored)
      : { archived: kept.archived.map((a) => a.path), folded: foldedArchives(kept.folded) };
  const unread = kept === undefined && !("state" in stored) && stored.unread === true;
  return {
    ...(named.archived.length === 0 ? {} : { archived: [...named.archived] }),
    ...(named.folded.length === 0 ? {} : { folded: [...named.folded] }),
    ...(unread ? { stateUnread: true as const } : {}),
  };
}
