import { mkdirSync, realpathSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import { TelemetryError } from "../errors/index.js";
import { DEFAULT_INPUTS } from "./defaults.js";
import { resolveInputs } from "./resolve-inputs.js";

/** The real path of `path`, or its absolute form when it does not exist yet. */
export function canonicalPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/**
 * Refuses an output that is one of the inputs (it would be truncated while being read), and
 * creates the output's parent directory.
 */
export function prepareOutput(output: string, inputs: readonly string[] | undefined): void {
  const target = canonicalPath(output);
  for (const file of resolveInputs(inputs?.length ? inputs : DEFAULT_INPUTS).files) {
    if (canonicalPath(file) === target) {
      throw new TelemetryError(
        "output_conflict",
        `output ${output} is also an input; choose another path`,
      );
    }
  }
  ensureParent(output);
}

function ensureParent(output: string): void {
  try {
    mkdirSync(dirname(resolve(output)), { recursive: true });
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw new TelemetryError("io_error", `cannot create the directory of ${output} (${code})`, {
      cause,
    });
  }
}

/**
 * Refuses an output directory that holds one of the inputs (replacing it would remove them), and
 * creates its parent directory.
 */
export function prepareOutputDirectory(
  output: string,
  inputs: readonly string[] | undefined,
): void {
  const target = canonicalPath(output);
  for (const file of resolveInputs(inputs?.length ? inputs : DEFAULT_INPUTS).files) {
    const path = canonicalPath(file);
    if (path === target || path.startsWith(`${target}${sep}`)) {
      throw new TelemetryError(
        "output_conflict",
        `output ${output} holds the input ${file}; choose another directory`,
      );
    }
  }
  ensureParent(output);
}
