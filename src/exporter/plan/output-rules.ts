import { realpathSync, statSync } from "node:fs";
import { basename, dirname, resolve, sep } from "node:path";
import { TelemetryError } from "../../errors/index.js";
import { DEFAULT_INPUTS } from "../defaults.js";
import { isGlob } from "../glob.js";
import { type ResolvedInputs, resolveInputs } from "../resolve-inputs.js";
import { globReaches } from "./glob-reach.js";

/** One output of a run: the option that names it, its path, and whether it is a directory. */
export interface PlannedOutput {
  /** The option's name in the API (`output`, `diagnosticsFile`, `outputDir`): the error's path. */
  readonly option: string;
  readonly path: string;
  readonly kind: "file" | "directory";
}

/**
 * The real path `path` has or would have: symbolic links of the path and of its nearest
 * existing ancestor resolved, so two spellings of one file compare equal.
 */
export function realOutputPath(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    const parent = dirname(absolute);
    return parent === absolute ? absolute : `${realOutputPath(parent)}${sep}${basename(absolute)}`;
  }
}

function refuse(option: string, message: string, code: "usage" | "output_conflict") {
  return new TelemetryError(code, message, {
    issues: [{ code: "invalid_output", path: [option], message }],
  });
}

const inside = (path: string, dir: string) => path.startsWith(dir.endsWith(sep) ? dir : dir + sep);

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

// Why `output` would be read back as input by this run or the next, or undefined.
function readBack(
  output: PlannedOutput,
  real: string,
  inputs: readonly string[],
  resolved: ResolvedInputs,
): string | undefined {
  const directory = output.kind === "directory";
  for (const file of resolved.files) {
    const input = realOutputPath(file);
    if (input === real) return "is also an input";
    if (directory && inside(input, real)) return `holds the input ${file}`;
  }
  for (const input of inputs) {
    if (isGlob(input) && !isDirectory(input)) {
      if (globReaches(input, output.path, directory) || globReaches(input, real, directory)) {
        return `matches the input pattern ${input}`;
      }
    } else if (isDirectory(input)) {
      const dir = realOutputPath(input);
      if (real === dir || inside(real, dir)) return `is inside the input directory ${input}`;
    }
  }
  return undefined;
}

/**
 * The plan's output rules, checked once against the run's one resolution of its inputs: no
 * output may be empty, be an input, sit inside an input directory or match an input pattern (the
 * next run would read it back and count its events twice), or name the same file as another
 * output of the run (one of the two would be lost). Throws a `TelemetryError` whose issue path
 * names the option.
 */
export function checkOutputs(
  outputs: readonly PlannedOutput[],
  inputs: readonly string[],
  resolved: ResolvedInputs,
): void {
  const seen: { output: PlannedOutput; real: string }[] = [];
  for (const output of outputs) {
    if (output.path === "") {
      throw refuse(output.option, "an output path cannot be empty", "usage");
    }
    const real = realOutputPath(output.path);
    const why = readBack(output, real, inputs, resolved);
    if (why !== undefined) {
      throw refuse(
        output.option,
        `output ${output.path} ${why}; it would be read back as input; choose another path`,
        "output_conflict",
      );
    }
    for (const other of seen) {
      const same =
        other.real === real ||
        (other.output.kind === "directory" && inside(real, other.real)) ||
        (output.kind === "directory" && inside(other.real, real));
      if (same) {
        throw refuse(
          output.option,
          `output ${output.path} is also the output ${other.output.path}; give each output its own path`,
          "output_conflict",
        );
      }
    }
    seen.push({ output, real });
  }
}

/**
 * {@link checkOutputs} with the inputs' default applied and resolved once, for one run; `null`
 * for a run that reads no inputs (only the outputs' own rules apply).
 */
export function checkRunOutputs(
  inputs: readonly string[] | undefined | null,
  outputs: readonly (PlannedOutput | undefined)[],
): void {
  const planned = outputs.filter((o): o is PlannedOutput => o !== undefined);
  if (planned.length === 0) return;
  if (inputs === null) {
    checkOutputs(planned, [], { files: [], missing: [] });
    return;
  }
  const given = inputs?.length ? inputs : DEFAULT_INPUTS;
  checkOutputs(planned, given, resolveInputs(given));
}

/** The diagnostics file as a planned output, when there is one. */
export function diagnosticsOutput(path: string | undefined): PlannedOutput | undefined {
  return path === undefined ? undefined : { option: "diagnosticsFile", path, kind: "file" };
}
