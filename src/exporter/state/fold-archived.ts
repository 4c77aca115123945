// A file read to its end and deleted by retention is archived: its events stay in the outputs,
// its counts in the report. Kept one entry per file, a fleet rotating 1,000 channels a day added
// 365,000 entries a year to the state, the inventory and the HTML report (about 700 bytes each in
// the state), all read, checked and written again by every run. So only the newest ARCHIVED_KEPT
// archived files keep an entry of their own; older ones are folded into one entry per channel
// (the live file's path): how many, the oldest and newest in input order, their sizes and their
// tallies summed. The report's totals, maps, time range and anomalies stay a full run's; only the
// inventory lists the folded files as one row. Their read marks go: only a file put back
// (plan/restored-archive.ts) looks at an archived file's mark, and only a recent deletion is
// likely to be undone.
import type { FoldedArchive } from "../contracts.js";
import { foldTallies, renameTally } from "../model/fold-tallies.js";
import type { SavedTally } from "../model/saved-tally.js";
import { shiftPath } from "../plan/numbered-shift.js";
import { compareInputPaths, rotationRank } from "../plan/rotated-names.js";
import type { FoldedFiles } from "./state-schemas.js";

/**
 * How many archived files keep an entry of their own: a day of a 1,000-channel fleet, which is
 * what an operator looking for a file retention removed lately needs, in about 0.7 MB of state.
 */
export const ARCHIVED_KEPT = 1000;

/** An archived file as the ETL state keeps it. */
interface TalliedMark {
  readonly path: string;
  readonly identity: { readonly size: number };
  readonly tally: SavedTally;
}

/** Folded archived files of the ETL state: with their sizes and tallies summed. */
export type FoldedTally = FoldedFiles & { readonly bytes: number; readonly tally: SavedTally };

const later = (a: string, b: string) => (compareInputPaths(a, b) >= 0 ? a : b);
const earlier = (a: string, b: string) => (compareInputPaths(a, b) <= 0 ? a : b);

/**
 * Folds the archived files beyond the newest `keep` (the state lists them in the order they were
 * archived) into their channel's entry of `folded`, one per channel, made or continued by
 * `merge` (its members in input order).
 */
export function foldArchived<Mark extends { readonly path: string }, Fold extends FoldedFiles>(
  archived: readonly Mark[],
  folded: readonly Fold[],
  merge: (previous: Fold | undefined, members: readonly Mark[]) => Fold,
  keep: number = ARCHIVED_KEPT,
): { archived: Mark[]; folded: Fold[] } {
  if (archived.length <= keep) return { archived: [...archived], folded: [...folded] };
  const cut = archived.length - keep;
  const byGroup = new Map<string, Mark[]>();
  for (const mark of archived.slice(0, cut)) {
    const group = rotationRank(mark.path).group;
    const members = byGroup.get(group);
    if (members === undefined) byGroup.set(group, [mark]);
    else members.push(mark);
  }
  const result = new Map(folded.map((f) => [rotationRank(f.first_path).group, f]));
  for (const [group, members] of byGroup) {
    const ordered = [...members].sort((a, b) => compareInputPaths(a.path, b.path));
    result.set(group, merge(result.get(group), ordered));
  }
  const all = [...result.values()].sort((a, b) => compareInputPaths(a.first_path, b.first_path));
  return { archived: archived.slice(cut), folded: all };
}

/** The entry of an export state's folded files, `members` added. */
export function mergeFolded(
  previous: FoldedFiles | undefined,
  members: readonly { readonly path: string }[],
): FoldedFiles {
  const paths = members.map((m) => m.path);
  if (previous !== undefined) paths.push(previous.first_path, previous.last_path);
  return {
    first_path: paths.reduce(earlier),
    last_path: paths.reduce(later),
    files: (previous?.files ?? 0) + members.length,
  };
}

/**
 * The entry of an ETL state's folded files, `members` added: their tallies summed in input order
 * (the entry before them taking the place of its oldest file), each file's diagnostics under its
 * name.
 */
export function mergeFoldedTally(
  previous: FoldedTally | undefined,
  members: readonly TalliedMark[],
): FoldedTally {
  const parts = members.map((m) => ({ at: m.path, tally: renameTally(m.tally, () => m.path) }));
  if (previous !== undefined) parts.push({ at: previous.first_path, tally: previous.tally });
  parts.sort((a, b) => compareInputPaths(a.at, b.at));
  return {
    ...mergeFolded(previous, members),
    bytes: members.reduce((n, m) => n + m.identity.size, previous?.bytes ?? 0),
    tally: foldTallies(parts.map((p) => p.tally)),
  };
}

/** Folded entries under the numbered names their files would have now (numbered-shift.ts). */
export function shiftFolded<Fold extends FoldedFiles>(
  folded: readonly Fold[],
  shifts: ReadonlyMap<string, number>,
): Fold[] {
  if (shifts.size === 0) return [...folded];
  const now = (path: string) => shiftPath(path, shifts);
  return folded.map((f) => {
    const moved = { ...f, first_path: now(f.first_path), last_path: now(f.last_path) };
    const tally = (f as { tally?: SavedTally }).tally;
    return tally === undefined ? moved : { ...moved, tally: renameTally(tally, now) };
  });
}

/** Folded entries as a run's outcome names them. */
export function foldedArchives(folded: readonly FoldedFiles[]): FoldedArchive[] {
  return folded.map((f) => ({ first: f.first_path, last: f.last_path, files: f.files }));
}
