// Runs before the CLI's modules (yargs among them) are loaded: imports nothing heavy.
import { readdirSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { DEFAULT_INPUTS, DEFAULT_MAX_LINE_BYTES, MAX_WORKERS } from "../contracts.js";
import { PARALLEL_MIN_BYTES, startSegmentWorkersEarly } from "../engine/segment-workers.js";

const SCANNING = new Set(["aggregate", "export", "validate", "etl"]);
// The flags the guess follows; any other (a line limit, an incremental run, help) means no guess.
const FOLLOWED = /^(-[qof]|--(output|format|quiet|strict|channel|event|since|until))$/;

// Bytes of the input paths as given: a file's size, or a directory's files' sizes (what a
// directory input reads, about). Anything else (a glob, a missing path) counts as nothing.
function givenBytes(paths: readonly string[]): number {
  let total = 0;
  for (const path of paths) {
    try {
      const stat = statSync(path);
      if (stat.isFile()) total += stat.size;
      else if (stat.isDirectory()) {
        for (const entry of readdirSync(path, { withFileTypes: true })) {
          if (entry.isFile() && /\.jsonl(\.gz)?$/.test(entry.name))
            total += statSync(join(path, entry.name)).size;
        }
      }
    } catch {
      // Not there (yet), or a glob: the plan will say.
    }
  }
  return total;
}

/**
 * How many segment workers a run with these command-line arguments will most likely use, read
 * from the raw arguments before they are parsed: a guess, 0 whenever in doubt (a run that
 * reads only what was appended, a line limit other than the default, an unusual spelling).
 * A wrong guess costs only the start of workers that are not used, or that are started later.
 */
export function guessWorkers(args: readonly string[]): number {
  if (!SCANNING.has(args[0] ?? "")) return 0;
  const inputs: string[] = [];
  let workers: number | undefined;
  for (let k = 1; k < args.length; k++) {
    const arg = args[k] as string;
    if (arg === "-i" || arg === "--input") {
      while (k + 1 < args.length && !(args[k + 1] as string).startsWith("-"))
        inputs.push(args[++k] as string);
    } else if (arg === "--workers" && /^[0-9]{1,2}$/.test(args[k + 1] ?? "")) {
      workers = Number(args[++k]);
    } else if (arg.startsWith("-") && !FOLLOWED.test(arg)) {
      return 0;
    }
  }
  const wanted = Math.min(workers ?? Math.min(availableParallelism(), 4), MAX_WORKERS);
  if (wanted === 0) return 0;
  return givenBytes(inputs.length === 0 ? DEFAULT_INPUTS : inputs) >= PARALLEL_MIN_BYTES
    ? wanted
    : 0;
}

/** Starts the segment workers the run will most likely use (see {@link guessWorkers}). */
export function startWorkersEarly(args: readonly string[]): void {
  const count = guessWorkers(args);
  if (count > 0) startSegmentWorkersEarly(count, DEFAULT_MAX_LINE_BYTES);
}
