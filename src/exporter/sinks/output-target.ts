import { lstat, realpath, stat } from "node:fs/promises";
import { TelemetryError } from "../../errors/index.js";
import { isSystemPath, namedDescriptor } from "./named-descriptor.js";

/**
 * Where an output's bytes go: a regular file (new or existing) is replaced atomically at `path`
 * (a symbolic link's resolved target, so the link keeps pointing at fresh data); a character
 * device or a FIFO is written in place as a stream and never replaced. A path naming one of this
 * process's descriptors (`/dev/stdout`, `/dev/fd/N`) is written through that descriptor; any
 * other path in /dev or /proc is opened as a stream (appended to, if a regular file), never
 * replaced.
 */
export type OutputTarget =
  | {
      readonly kind: "file";
      readonly path: string;
      /**
       * The permission bits of the regular file there now, which an output replacing it keeps
       * (a user's `chmod 600` on an export stays private, as `sed -i` and editors keep it; not
       * set-id or sticky bits). Undefined when there is none.
       */
      readonly mode?: number;
    }
  | { readonly kind: "stream"; readonly path: string; readonly append?: boolean }
  | { readonly kind: "descriptor"; readonly path: string; readonly fd: number };

function conflict(target: string, what: string): TelemetryError {
  return new TelemetryError("output_conflict", `output ${target} ${what}`);
}

/** Decides how `target` is written; refuses a directory, a dangling link and other file types. */
export async function outputTarget(target: string): Promise<OutputTarget> {
  const fd = namedDescriptor(target);
  if (fd !== undefined) return { kind: "descriptor", path: target, fd };
  const own = await lstat(target).catch(() => undefined);
  if (own === undefined) return { kind: "file", path: target };
  let path = target;
  let info = own;
  if (own.isSymbolicLink()) {
    try {
      path = await realpath(target);
      info = await stat(path);
    } catch {
      throw conflict(target, "is a symbolic link whose target does not exist; refusing to guess");
    }
  }
  if (info.isDirectory()) throw conflict(target, "is a directory; give a file path");
  if (info.isFile()) {
    return isSystemPath(target)
      ? { kind: "stream", path: target, append: true }
      : { kind: "file", path, mode: info.mode & 0o777 };
  }
  if (info.isCharacterDevice() || info.isFIFO()) return { kind: "stream", path };
  throw conflict(target, "is not a regular file, a character device or a FIFO");
}
