import { lstatSync, statSync } from "node:fs";

/** A file's size, or why it cannot be read as a regular file. */
export function inspectFile(
  path: string,
): { ok: true; bytes: number; mtimeMs: number } | { ok: false; message: string } {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) return { ok: false, message: "is a directory" };
    if (!stat.isFile()) return { ok: false, message: "is not a regular file" };
    return { ok: true, bytes: stat.size, mtimeMs: stat.mtimeMs };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      message: code === "ENOENT" ? "is a broken link or vanished" : `cannot be read (${code})`,
    };
  }
}

/**
 * Whether nothing is at `path` any more (a link whose target is gone is still there: a broken
 * link, an error).
 */
export function isGone(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) === undefined;
  } catch {
    // Cannot be looked at (EACCES: a directory this user may list but not enter): it is there,
    // and reading reports why it cannot be read.
    return false;
  }
}
