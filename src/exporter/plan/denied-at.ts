import { closeSync, constants, openSync, statSync } from "node:fs";
import type { ListedFile } from "./follow-listed.js";

const DENIED = new Set(["EACCES", "EPERM"]);

/** The code of an error that says permission was denied (`EACCES`, `EPERM`); else undefined. */
export function deniedCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined && DENIED.has(code) ? code : undefined;
}

/**
 * Why the file `listed` identified, still at `path`, cannot be opened for want of permission
 * (`EACCES`, `EPERM`); undefined when it can be opened, or what is at `path` is another file or
 * nothing. Root never sees it: a file mode 000, or in a directory this user may list but not
 * enter, is there, and unreadable.
 */
export function deniedAt(path: string, listed: ListedFile): string | undefined {
  const code = openFailure(path);
  if (code === undefined || !DENIED.has(code)) return undefined;
  const stat = statSync(path, { bigint: true, throwIfNoEntry: false });
  if (stat === undefined) return undefined;
  return stat.dev.toString() === listed.dev && stat.ino.toString() === listed.ino
    ? code
    : undefined;
}

/** Why the file at `path` cannot be opened for reading now (its error code); undefined if it can. */
export function openFailure(path: string): string | undefined {
  try {
    closeSync(openSync(path, constants.O_RDONLY | constants.O_NONBLOCK));
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}
