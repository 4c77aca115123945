import { mkdirSync, realpathSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import { TelemetryError } from "../../errors/index.js";
import { DEFAULT_INPUTS } from "../contracts.js";
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
  const clash = inputFile(inputs, (path) => path === target);
  if (clash !== undefined) {
    throw new TelemetryError(
      "output_conflict",
      `output ${output} is also an input; choose another path`,
    );
  }
  ensureParent(output);
}

// The first input file whose real path satisfies `test`.
function inputFile(
  inputs: readonly string[] | undefined,
  test: (path: string) => boolean,
): string | undefined {
  return resolveInputs(inputs?.length ? inputs : DEFAULT_INPUTS).files.find((file) =>
    test(canonicalPath(file)),
  );
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
  const held = inputFile(inputs, (path) => path === target || path.startsWith(`${target}${sep}`));
  if (held !== undefined) {
    throw new TelemetryError(
      "output_conflict",
      `output ${output} holds the input ${held}; choose another directory`,
    );
  }
  ensureParent(output);
}
