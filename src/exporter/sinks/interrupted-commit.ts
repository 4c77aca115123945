import { lstat, readdir, rename } from "node:fs/promises";
import { dirname, join } from "node:path";
import { SUCCESS_MARKER } from "./atomic-directory.js";
import { leftoverPid, processAlive } from "./leftover-temps.js";

// A directory export commits with two renames: the previous export aside, the new one in. A run
// killed between them leaves no directory at all: readers find nothing, and the next run would
// remove both as leftovers and start over. A full run then drops the rows of every input file
// deleted since it was read, which only the lost export still held.

// When its export was completed, or undefined for none (no `_SUCCESS`: killed while writing).
async function completedAt(path: string): Promise<number | undefined> {
  const marker = await lstat(join(path, SUCCESS_MARKER)).catch(() => undefined);
  return marker?.isFile() === true ? marker.mtimeMs : undefined;
}

// The newest complete export of `paths`.
async function newestComplete(paths: readonly string[]): Promise<string | undefined> {
  let newest: { path: string; at: number } | undefined;
  for (const path of paths) {
    const at = await completedAt(path);
    if (at !== undefined && (newest === undefined || at > newest.at)) newest = { path, at };
  }
  return newest?.path;
}

/**
 * Puts back the export a run killed mid-commit left beside each missing `target`: the new one
 * (complete: its `_SUCCESS` is written before the renames), else the one set aside. Only where
 * an export set aside proves the kill came between the two renames, so a directory its owner
 * removed on purpose stays removed. For a caller holding the lock of these outputs. Returns the
 * paths put back.
 */
export async function finishInterruptedCommits(
  targets: readonly string[],
  isAlive: (pid: number) => boolean = processAlive,
): Promise<string[]> {
  const restored: string[] = [];
  for (const target of targets) {
    if ((await lstat(target).catch(() => undefined)) !== undefined) continue;
    const dir = dirname(target);
    const names = await readdir(dir).catch(() => [] as string[]);
    const asides: string[] = [];
    const temps: string[] = [];
    for (const name of names) {
      const owner = leftoverPid(name, target);
      if (owner === "aside") asides.push(join(dir, name));
      else if (owner !== undefined && owner !== process.pid && !isAlive(owner)) {
        temps.push(join(dir, name));
      }
    }
    if (asides.length === 0) continue;
    const candidate = (await newestComplete(temps)) ?? (await newestComplete(asides));
    if (candidate === undefined) continue;
    // Best effort: what cannot be put back leaves the run to start over, as before.
    const moved = await rename(candidate, target).then(
      () => true,
      () => false,
    );
    if (moved) restored.push(target);
  }
  return restored;
}
