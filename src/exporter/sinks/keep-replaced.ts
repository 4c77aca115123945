import { link, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

// An incremental ETL continues its events file: a new file whose first bytes are the old one's.
// Written as a fresh copy, every run costs a copy of the whole file (without reflinks), however
// little was appended. So the file a run replaces is kept under a hidden name, the spare: the
// next run brings it up to date with only what it lacks and renames it into place in turn.

/** The spare of `target`: the file the last run replaced, kept beside it. */
export function sparePathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.spare`);
}

/** Where the file being replaced is linked first, so that `target` never goes missing. */
const linkPathFor = (target: string) => `${sparePathFor(target)}.link`;

/**
 * Renames `from` over `target`, keeping the file it replaces as the spare. Returns false when it
 * could not be kept (no file there, or a file system without hard links): then there is no spare.
 */
export async function renameKeepingSpare(from: string, target: string): Promise<boolean> {
  const linked = linkPathFor(target);
  await rm(linked, { force: true });
  const kept = await link(target, linked).then(
    () => true,
    () => false,
  );
  await rename(from, target);
  // `target` is replaced: the run's output is committed. Keeping a spare is from here on a
  // saving, not a duty: whatever is in its way (a directory someone made there) costs the next
  // run a copy, and never fails this one.
  if (kept) {
    const moved = await rename(linked, sparePathFor(target)).then(
      () => true,
      () => false,
    );
    if (moved) return true;
  }
  await removeSpare(target);
  return false;
}

/**
 * Removes the spare of `target` (a full run starts over: the spare's bytes are not its own).
 * Best effort: what cannot be removed (a directory in its place) is never taken for a spare.
 */
export async function removeSpare(target: string): Promise<void> {
  await rm(linkPathFor(target), { force: true }).catch(() => undefined);
  await rm(sparePathFor(target), { force: true }).catch(() => undefined);
}

/**
 * Puts back the file the last run replaced when that run was killed after replacing `target`
 * but before saving its state: the state still describes the replaced file, kept as the spare
 * (or under the link made on the way there). Without this the state no longer matches the
 * file at `target`, and the next run starts over: a full run, which drops the events of every
 * input file deleted since it was read. `recorded` says whether a file is the one the state
 * describes. Returns whether a file was put back. For a caller holding the output's lock.
 */
export async function restoreReplaced(
  target: string,
  recorded: (path: string) => boolean,
): Promise<boolean> {
  if (recorded(target)) return false;
  for (const kept of [linkPathFor(target), sparePathFor(target)]) {
    if (!recorded(kept)) continue;
    // Where it cannot be put back, the run starts over, as it did before this existed.
    return rename(kept, target).then(
      () => true,
      () => false,
    );
  }
  return false;
}
