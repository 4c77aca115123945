import { rmdirSync, unlinkSync } from "node:fs";
import { join } from "node:path";

/** A lock holder's token: the name of its file in a lock directory. */
export const TOKEN = /^[0-9a-f]{16}$/;

/**
 * The mode of a lock directory for lock files of `fileMode`: search allowed wherever reading is,
 * so whoever may read a lock file may reach it (0o644 gives 0o755, 0o600 gives 0o700).
 */
export function lockDirectoryMode(fileMode: number): number {
  return fileMode | ((fileMode & 0o444) >> 2);
}

/**
 * Removes the token file `token` (when given) from the lock directory `path`, then the directory
 * if that left it empty. Never anything of another holder: the file goes by its own name, and
 * rmdir(2) fails on a directory that holds a file (another holder's lock taken meanwhile). A
 * directory left empty (a process killed between the two calls) is replaced by the next taker.
 */
export function dropLockDirectory(path: string, token: string | undefined): void {
  if (token !== undefined) {
    try {
      unlinkSync(join(path, token));
    } catch {
      // Never written (a full disk), or removed by a taker that took its holder for dead.
    }
  }
  try {
    rmdirSync(path);
  } catch {
    // Not empty (a newer holder's), already gone, or never made.
  }
}
