import { statSync } from "node:fs";
import { join, sep } from "node:path";
import { TelemetryError } from "../../errors/index.js";
import { canonicalPath } from "./canonical-path.js";
import { isGlob } from "./glob.js";
import { globReaches } from "./glob-reach.js";

// The integrity rules of outputs, added to the plan's OUTPUT_RULES: an output must not be read
// back as input by this run or the next (which would count its events twice), and no two
// outputs of a run may be one file (one of the two would be lost).

// The parts of output-checks' OutputRequest and CheckedInputs these rules read.
interface Output {
  readonly path: string;
  readonly kind: "file" | "directory";
  readonly option: readonly string[];
}
type Rule = (
  output: Output,
  real: string,
  inputs: { readonly given: readonly string[] },
  outputs: readonly Output[],
) => TelemetryError | undefined;

// What a directory output (a partitioned export) holds, up to two partition levels deep: a
// pattern matching any of these would read the export back.
const DIRECTORY_FILES = [
  "_SUCCESS",
  "part-00000.parquet",
  join("k=v", "part-00000.parquet"),
  join("k=v", "k=v", "part-00000.parquet"),
];

const inside = (path: string, dir: string) => path.startsWith(dir.endsWith(sep) ? dir : dir + sep);

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

// The option naming an output, in backticks: the CLI shows it as its flag.
function named(output: Output): string {
  const option = output.option.findLast((part) => typeof part === "string");
  return option === undefined ? "output" : `\`${option}\``;
}

function conflict(output: Output, message: string): TelemetryError {
  return new TelemetryError("output_conflict", message, { path: output.option });
}

/** An empty path names no file (the CLI's `-o ""`). */
export const notEmpty: Rule = (output) =>
  output.path === ""
    ? new TelemetryError("usage", `${named(output)} cannot be an empty path`, {
        path: output.option,
      })
    : undefined;

/**
 * "-" means stdout to a CLI, but a file output would be a file named "-" that nobody asked for
 * (`aggregate -o - | jq` then reads nothing): refused, never guessed.
 */
export const notDash: Rule = (output) =>
  output.kind === "file" && output.path === "-"
    ? new TelemetryError(
        "usage",
        `${named(output)} "-" names no file; give a path (/dev/stdout writes to standard output)`,
        { path: output.option },
      )
    : undefined;

/**
 * A file output that is a directory (a state path someone made a folder, `-o` a folder), or
 * names one (`-o out/`), is refused here, before any other output of the run is written.
 */
export const notADirectory: Rule = (output) => {
  if (output.kind !== "file" || output.path === "") return undefined;
  let directory = false;
  try {
    directory = isDirectory(output.path);
  } catch {
    return undefined; // a file where a folder should be: creating its parent says so
  }
  if (directory) {
    return conflict(output, `${named(output)} ${output.path} is a directory; give a file path`);
  }
  // `-o out/` names a directory that is not there yet: no file can be written at that path.
  return output.path.endsWith("/")
    ? conflict(
        output,
        `${named(output)} ${output.path} names a directory (a trailing /); give a file path`,
      )
    : undefined;
};

/** An output inside an input directory, or matching an input glob, would be read back. */
export const notReadBack: Rule = (output, real, inputs) => {
  const directory = output.kind === "directory";
  for (const input of inputs.given) {
    let why: string | undefined;
    if (isGlob(input) && !isDirectory(input)) {
      const files = directory ? DIRECTORY_FILES : [""];
      const reaches = files.some(
        (file) =>
          globReaches(input, join(output.path, file)) || globReaches(input, join(real, file)),
      );
      if (reaches) why = `matches the input pattern ${input}`;
    } else if (isDirectory(input)) {
      const dir = canonicalPath(input);
      if (real === dir || inside(real, dir)) why = `is inside the input directory ${input}`;
    }
    if (why !== undefined) {
      return conflict(
        output,
        `${named(output)} ${output.path} ${why}; the next run would read it back; choose another path`,
      );
    }
  }
  return undefined;
};

/** Two outputs that are one file (or a file inside an output directory): one would be lost. */
export const notNamedTwice: Rule = (output, real, _inputs, outputs) => {
  for (const other of outputs) {
    if (other === output) return undefined; // each pair is checked once, by its later output
    const otherReal = canonicalPath(other.path);
    const same =
      otherReal === real ||
      (other.kind === "directory" && inside(real, otherReal)) ||
      (output.kind === "directory" && inside(otherReal, real));
    if (same) {
      return conflict(
        output,
        `${named(output)} ${output.path} is also ${named(other)} ${other.path}; give each output its own path`,
      );
    }
  }
  return undefined;
};
