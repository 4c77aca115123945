import { mkdirSync, statSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import { TelemetryError } from "../../errors/index.js";
import { canonicalPath } from "./canonical-path.js";
import { notADirectory, notDash, notEmpty, notNamedTwice, notReadBack } from "./output-rules.js";
import type { ResolvedInputs } from "./resolve-inputs.js";

/** An output a run will write, as the plan checks it before anything is read. */
export interface OutputRequest {
  readonly path: string;
  /** A file written atomically, or a directory replaced atomically. */
  readonly kind: "file" | "directory";
  /** The option that names it, for errors: `["output"]`, `["outputDir"]`, `["diagnosticsFile"]`. */
  readonly option: readonly string[];
}

/** What outputs are checked against: the run's one resolution of its inputs, and other sources. */
export interface CheckedInputs {
  /** The inputs as given (directories, files, globs). */
  readonly given: readonly string[];
  /** Real paths of the input files, in read order. */
  readonly files: readonly { readonly path: string; readonly real: string }[];
  /** Real paths of other files the run reads (a saved report), with the option naming each. */
  readonly sources: readonly {
    readonly path: string;
    readonly real: string;
    readonly option: readonly string[];
  }[];
}

/**
 * One rule an output must pass: returns the error that refuses it, or undefined. Rules see every
 * output of the run, so a rule may compare outputs with each other.
 */
export type OutputRule = (
  output: OutputRequest,
  real: string,
  inputs: CheckedInputs,
  outputs: readonly OutputRequest[],
) => TelemetryError | undefined;

export { canonicalPath } from "./canonical-path.js";

// An output file that is an input would be truncated while it is read.
const notAnInput: OutputRule = (output, real, inputs) => {
  if (output.kind !== "file" || !inputs.files.some((f) => f.real === real)) return undefined;
  return new TelemetryError(
    "output_conflict",
    `output ${output.path} is also an input; choose another path`,
    { path: output.option },
  );
};

// Replacing an output directory would remove the inputs it holds.
const holdsNoInput: OutputRule = (output, real, inputs) => {
  if (output.kind !== "directory") return undefined;
  const held = inputs.files.find((f) => f.real === real || f.real.startsWith(`${real}${sep}`));
  if (held === undefined) return undefined;
  return new TelemetryError(
    "output_conflict",
    `output ${output.path} holds the input ${held.path}; choose another directory`,
    { path: output.option },
  );
};

// A saved report read by this run must not be overwritten by it.
const notASource: OutputRule = (output, real, inputs) => {
  const source = inputs.sources.find((s) => s.real === real);
  if (source === undefined) return undefined;
  return new TelemetryError(
    "output_conflict",
    `output ${output.path} is the \`${source.option.join(".")}\` report; choose another path`,
    { path: output.option },
  );
};

/** Every rule, in the order they are checked; add new output rules here. */
export const OUTPUT_RULES: readonly OutputRule[] = [
  notEmpty,
  notDash,
  notADirectory,
  notASource,
  notAnInput,
  holdsNoInput,
  notReadBack,
  notNamedTwice,
];

/** The inputs as output checks compare them: each real path, computed once. */
export function checkedInputs(
  resolved: ResolvedInputs,
  sources: readonly { readonly path: string; readonly option: readonly string[] }[] = [],
  given: readonly string[] = [],
): CheckedInputs {
  return {
    given,
    files: resolved.files.map((path) => ({ path, real: canonicalPath(path) })),
    sources: sources.map((s) => ({ ...s, real: canonicalPath(s.path) })),
  };
}

/**
 * Checks every output of a run against its inputs with {@link OUTPUT_RULES}, in order, then runs
 * `beforeCreating` (the run's last check), then creates each output's parent directory. Throws
 * the first error; nothing is created or written then.
 */
export function checkOutputs(
  inputs: CheckedInputs,
  outputs: readonly OutputRequest[],
  beforeCreating: () => void = () => undefined,
): void {
  for (const output of outputs) {
    const real = canonicalPath(output.path);
    for (const rule of OUTPUT_RULES) {
      const error = rule(output, real, inputs, outputs);
      if (error !== undefined) throw error;
    }
  }
  beforeCreating();
  for (const output of outputs) ensureParent(output);
}

function ensureParent(output: OutputRequest): void {
  try {
    mkdirSync(dirname(resolve(output.path)), { recursive: true });
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    const file = fileInTheWay(dirname(resolve(output.path)));
    if (file !== undefined) {
      const option = output.option.findLast((part) => typeof part === "string") ?? "output";
      throw new TelemetryError(
        "usage",
        `\`${option}\`: ${file} is a file, not a directory, so ${output.path} cannot be written; choose another path`,
        { cause, path: output.option },
      );
    }
    throw new TelemetryError(
      "io_error",
      `cannot create the directory of ${output.path} (${code})`,
      { cause, path: output.option },
    );
  }
}

// The nearest ancestor of `dir` (itself included) that exists and is not a directory.
function fileInTheWay(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(d, { throwIfNoEntry: false });
    } catch {
      stat = undefined; // ENOTDIR: the file in the way is further up
    }
    if (stat !== undefined) return stat.isDirectory() ? undefined : d;
    if (dirname(d) === d) return undefined;
  }
}
