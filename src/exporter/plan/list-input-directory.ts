import { type Dirent, readdirSync } from "node:fs";
import { TelemetryError } from "../../errors/index.js";

/**
 * The entries of an input directory. One that is there but cannot be listed (`EACCES`: no read
 * permission) is an `input_error` naming it: its files cannot even be named, so the run cannot
 * say which events it misses. Nothing there (`ENOENT`, `ENOTDIR`) lists nothing.
 */
export function listInputDirectory(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return [];
    throw new TelemetryError("input_error", `cannot list the input directory ${dir} (${code})`, {
      path: ["inputs"],
    });
  }
}
