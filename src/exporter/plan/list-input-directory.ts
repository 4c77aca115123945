import { type Dirent, readdirSync } from "node:fs";
import { TelemetryError } from "../../errors/index.js";

// An input directory that is there but cannot be listed (`EACCES`: no read permission) is an
// `input_error` naming it: its files cannot even be named, so the run could not say which events
// it misses. Nothing there (`ENOENT`, `ENOTDIR`, a link loop: `ELOOP`) lists nothing.
function listed<T>(dir: string, list: () => T[]): T[] {
  try {
    return list();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR" || code === "ELOOP") return [];
    throw new TelemetryError("input_error", `cannot list the input directory ${dir} (${code})`, {
      path: ["inputs"],
    });
  }
}

/** The names in an input directory (see above for one that cannot be listed). */
export function listInputNames(dir: string): string[] {
  return listed(dir, () => readdirSync(dir));
}

/** The entries of an input directory (see above for one that cannot be listed). */
export function listInputDirectory(dir: string): Dirent[] {
  return listed(dir, () => readdirSync(dir, { withFileTypes: true }));
}
