import { lstat, readdir, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Whether a process of this host is alive (EPERM: it is, but belongs to someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// The names tempPathFor and AtomicDirectory give: `.NAME.<pid>.<8 hex>.tmp` (a temp file or
// directory) and `.NAME.old.<8 hex>` (a replaced export set aside until it is removed): the
// temp's owner, or "aside".
export function leftoverPid(name: string, target: string): number | "aside" | undefined {
  const base = escapeRegExp(basename(target));
  const temp = new RegExp(`^\\.${base}\\.([0-9]{1,10})\\.[0-9a-f]{8}\\.tmp$`).exec(name);
  if (temp !== null) return Number(temp[1]);
  return new RegExp(`^\\.${base}\\.old\\.[0-9a-f]{8}$`).test(name) ? "aside" : undefined;
}

/** A leftover's owner (see {@link leftoverPid}) and path: whether it may be removed. */
type Removable = (owner: number | "aside", path: string) => boolean | Promise<boolean>;

// The one loop both removals share: list each target's directory, skip this process's names and
// whatever `removable` keeps, remove the rest (`recursive`: directories too). Best effort: a
// leftover that cannot be removed (another user's) must not fail the run.
async function removeBeside(
  targets: readonly string[],
  recursive: boolean,
  removable: Removable,
): Promise<string[]> {
  const removed: string[] = [];
  for (const target of targets) {
    const dir = dirname(target);
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const owner = leftoverPid(name, target);
      if (owner === undefined || owner === process.pid) continue;
      const path = join(dir, name);
      if (!(await removable(owner, path))) continue;
      const gone = await rm(path, { recursive, force: true }).then(
        () => true,
        () => false,
      );
      if (gone) removed.push(path);
    }
  }
  return removed;
}

/**
 * Removes what runs killed before they could clean up (SIGKILL, a power cut) left beside each
 * of `targets`: temp files and directories whose process (its pid is in the name) is no longer
 * alive on this host, and replaced exports set aside. Only names this package gives its temps,
 * only in each target's own directory. For a caller holding the lock of these outputs: every
 * run that replaces a partitioned export holds it, so an export set aside is never a live run's,
 * and no run on another host sharing the directory is writing these names meanwhile.
 * Returns the paths removed.
 */
export function removeLeftoverTemps(
  targets: readonly string[],
  isAlive: (pid: number) => boolean = processAlive,
): Promise<string[]> {
  return removeBeside(targets, true, (owner) => owner === "aside" || !isAlive(owner));
}

/** How long nothing must have written a dead process's temp file beside an unlocked output. */
export const STALE_TEMP_MS = 60 * 60_000;

/**
 * Removes the temp files (`.NAME.<pid>.<hex>.tmp`) that killed runs left beside `target`, an
 * output no lock guards (`export -o FILE`, `aggregate -o FILE`): each whose process is not alive
 * on this host and that nothing has written for `staleMs`. Without a lock, a run on another host
 * sharing the directory may be writing one; it writes as it reads, so an hour's silence is not
 * such a run. Only files (never a directory, nor an export set aside), only this target's names.
 * Returns the paths removed.
 */
export function removeStaleTempFiles(
  target: string,
  options: { isAlive?: (pid: number) => boolean; staleMs?: number; now?: number } = {},
): Promise<string[]> {
  const { isAlive = processAlive, staleMs = STALE_TEMP_MS, now = Date.now() } = options;
  return removeBeside([target], false, async (owner, path) => {
    if (owner === "aside" || isAlive(owner)) return false;
    const stat = await lstat(path).catch(() => undefined);
    return stat?.isFile() === true && now - stat.mtimeMs >= staleMs;
  });
}
