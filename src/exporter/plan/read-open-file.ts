import { closeSync, openSync } from "node:fs";

/**
 * Opens `path` for reading, passes the descriptor to `read` and closes it. Undefined when the
 * file cannot be opened or read: the callers (identities, fingerprints, the state check) treat a
 * file they cannot read as one they do not know, never as an error of the run. `unopened` is
 * told why the open failed (its code), for a caller that tells a deleted file from the others.
 */
export function readOpenFile<T>(
  path: string,
  read: (fd: number) => T | undefined,
  unopened?: (code: string | undefined) => void,
): T | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    unopened?.((error as NodeJS.ErrnoException).code);
    return undefined;
  }
  try {
    return read(fd);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
