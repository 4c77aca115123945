import { basename, dirname, join, sep } from "node:path";
import { TelemetryError } from "../../errors/index.js";
import { canonicalPath } from "./canonical-path.js";

/** A file a run writes for itself (its lock), which no output may name. */
export interface RunFile {
  readonly path: string;
  /** What it is, for the error: "lock file". */
  readonly what: string;
}

/** The lock file of a partitioned export: beside the directory, which each run replaces. */
export function directoryLockPath(output: string): string {
  return join(dirname(output), `.${basename(output)}.lock`);
}

/**
 * Refuses an output (`--diagnostics` most likely) that names one of the run's own files, or a
 * path inside one: written over, the lock would be left empty and block later runs, and a file
 * written into the lock (a directory while it is held) would keep it from ever being removed. A
 * usage error, before anything is created.
 */
export function refuseRunFiles(
  outputs: readonly { readonly path: string; readonly option: readonly string[] }[],
  runFiles: readonly RunFile[],
): void {
  // A run never follows a link in its file's own place (its lock refuses one): only the
  // directory's path is resolved. Resolved through a link to the output directory, the lock
  // seemed to hold every output.
  const reserved = runFiles.map((f) => ({
    ...f,
    real: join(canonicalPath(dirname(f.path)), basename(f.path)),
  }));
  for (const output of outputs) {
    const real = canonicalPath(output.path);
    const hit = reserved.find((f) => f.real === real || real.startsWith(`${f.real}${sep}`));
    if (hit === undefined) continue;
    const option = output.option.findLast((part) => typeof part === "string") ?? "output";
    throw new TelemetryError(
      "usage",
      `\`${option}\` ${output.path} is the run's own ${hit.what}; choose another path`,
      { path: output.option },
    );
  }
}
