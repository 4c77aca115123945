import { TelemetryError } from "../../errors/index.js";
import {
  DEFAULT_INPUTS,
  DEFAULT_MAX_LINE_BYTES,
  type ReadClock,
  type ReadOptions,
  type ScanOptions,
  type ScanProgress,
} from "../contracts.js";
import type { Diagnostic } from "../model/diagnostics.js";
import { compileFilters, type EventFilters } from "../model/filters.js";
import { checkWorkers } from "./check-workers.js";
import { checkedInputs, checkOutputs, type OutputRequest } from "./output-checks.js";
import { type ResolvedInputs, resolveInputs } from "./resolve-inputs.js";
import { type RunFile, refuseRunFiles } from "./run-files.js";

const DEFAULT_SEGMENT_BYTES = 4 * 1024 * 1024;

const SYSTEM_CLOCK: ReadClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** How a run reads: every default applied, every value checked, the inputs resolved once. */
export interface ReadPlan {
  /** The inputs as given (or the default), as reports name them. */
  readonly inputs: readonly string[];
  /** The files this run reads, and the inputs that matched nothing: the only resolution. */
  readonly resolved: ResolvedInputs;
  readonly strict: boolean;
  readonly maxLineBytes: number;
  readonly filters: EventFilters | undefined;
  /** Worker threads; undefined lets the engine choose by input size. */
  readonly workers: number | undefined;
  readonly segmentBytes: number;
  readonly onDiagnostic: ((diagnostic: Diagnostic) => void) | undefined;
  readonly onProgress: ((progress: ScanProgress) => void) | undefined;
  readonly clock: ReadClock;
}

/** One run, planned before anything is read or written. */
export interface RunPlan {
  readonly read: ReadPlan;
  /** Every diagnostic also goes, as JSON Lines, to this file (checked like every output). */
  readonly diagnosticsFile: string | undefined;
  /** Every output of the run, checked against `read.resolved`. */
  readonly outputs: readonly OutputRequest[];
}

/**
 * How the engine divides its work: not part of the public options (the CLI's `--workers`, and
 * tests that force the parallel path on small inputs).
 */
export interface EngineTuning {
  /**
   * Worker threads, 0 to `MAX_WORKERS` (32); 0 reads in this thread. Default: the cores
   * available (at most 4) for inputs of 32 MiB or more, else 0.
   */
  readonly workers?: number | undefined;
  /** Target segment size in bytes. Default 4 MiB. */
  readonly segmentBytes?: number | undefined;
}

/** How a run uses its inputs beyond reading them. */
export interface RunMode {
  readonly tuning?: EngineTuning | undefined;
  /**
   * Continues from a saved state. With `strict`, the run stops at the first invalid line of what
   * it reads (the data appended since the last run); earlier runs' outputs and state stay.
   */
  readonly incremental?: boolean | undefined;
  /**
   * False when the run reads no input at all (a report shown from a saved aggregate): then no
   * input need exist. Default true.
   */
  readonly readsInputs?: boolean | undefined;
  /** Other files the run reads (a saved report), which no output may overwrite. */
  readonly sources?: readonly { readonly path: string; readonly option: readonly string[] }[];
  /** Files the run writes for itself (its lock), which no output may name. */
  readonly runFiles?: readonly RunFile[];
}

function usage(message: string, path: string): TelemetryError {
  return new TelemetryError("usage", message, { path: [path] });
}

/** Applies the read defaults and checks the values, then resolves the inputs, once. */
export function planRead(options: ReadOptions, mode: RunMode = {}): ReadPlan {
  const strict = options.strict ?? false;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  if (!Number.isSafeInteger(maxLineBytes) || maxLineBytes < 1) {
    throw usage("`maxLineBytes` must be a positive integer", "maxLineBytes");
  }
  const workers = checkWorkers(mode.tuning?.workers);
  // Fails on bad filters before anything is read.
  compileFilters(options.filters);
  const given: unknown = options.inputs;
  // Plain JavaScript can pass one path as a string: its characters would be taken as paths.
  if (given !== undefined && !Array.isArray(given)) {
    const hint =
      typeof given === "string" ? ` (got a string: pass [${JSON.stringify(given)}])` : "";
    throw usage(`\`inputs\` must be an array of paths${hint}`, "inputs");
  }
  const notText = (given as unknown[] | undefined)?.findIndex((p) => typeof p !== "string") ?? -1;
  if (notText >= 0) {
    throw new TelemetryError("usage", "`inputs` must be an array of paths (strings)", {
      path: ["inputs", notText],
    });
  }
  const inputs = options.inputs?.length ? options.inputs : DEFAULT_INPUTS;
  // An empty path (`-i "$UNSET"`) names nothing: a mistake, not a missing input to warn about.
  const empty = inputs.indexOf("");
  if (empty >= 0) {
    throw new TelemetryError("usage", "`inputs` cannot hold an empty path", {
      path: ["inputs", empty],
    });
  }
  const resolved = resolveInputs(inputs);
  const missing = resolved.missing[0];
  if (strict && missing !== undefined) {
    throw new TelemetryError("input_error", `input not found: ${missing} (\`strict\`)`, {
      path: ["inputs"],
    });
  }
  return {
    inputs,
    resolved,
    strict,
    maxLineBytes,
    filters: options.filters,
    workers,
    segmentBytes: mode.tuning?.segmentBytes ?? DEFAULT_SEGMENT_BYTES,
    onDiagnostic: options.onDiagnostic,
    onProgress: options.onProgress,
    clock: options.clock ?? SYSTEM_CLOCK,
  };
}

/**
 * Refuses a run none of whose inputs exists: that is a typo far more often than an empty fleet,
 * and an empty output with success would let it pass CI. One input of several missing stays a
 * warning (`missing_input`).
 */
export function requireSomeInput(read: ReadPlan, given: ReadOptions): void {
  const { files, missing } = read.resolved;
  if (files.length > 0 || missing.length < read.inputs.length) return;
  const byDefault = given.inputs?.length ? "" : " (the default)";
  throw new TelemetryError(
    "input_error",
    `no input exists: ${missing.join(", ")}${byDefault}; \`inputs\` takes a directory of *.jsonl files, a file, or a glob`,
    { path: ["inputs"] },
  );
}

/**
 * Refuses a validation that would check nothing: inputs that exist but hold no file to read (a
 * directory of no `*.jsonl`). "All 0 records are valid" would pass a CI check that a producer
 * writing nothing, or writing under another extension, should fail.
 */
export function requireSomeFile(read: ReadPlan): void {
  if (read.resolved.files.length > 0) return;
  throw new TelemetryError(
    "input_error",
    `no input file found in ${read.inputs.join(", ")}: nothing to check; \`inputs\` takes a directory of *.jsonl files, a file, or a glob`,
    { path: ["inputs"] },
  );
}

/**
 * Plans a run: the read (see {@link planRead}), then every output, the diagnostics file included,
 * checked against that one resolution of the inputs before anything is read or written.
 */
export function planRun(
  options: ScanOptions,
  outputs: readonly OutputRequest[] = [],
  mode: RunMode = {},
): RunPlan {
  const read = planRead(options, mode);
  const diagnosticsFile = options.diagnosticsFile;
  // "-" means stdout to a CLI, but here it would be a file named "-": refused, never guessed.
  if (diagnosticsFile === "-") {
    throw usage(
      '`diagnosticsFile` "-" names no file; give a path (/dev/stdout writes to standard output)',
      "diagnosticsFile",
    );
  }
  const all: OutputRequest[] = [...outputs];
  if (diagnosticsFile !== undefined) {
    all.push({ path: diagnosticsFile, kind: "file", option: ["diagnosticsFile"] });
  }
  refuseRunFiles(all, mode.runFiles ?? []);
  checkOutputs(checkedInputs(read.resolved, mode.sources, read.inputs), all, () => {
    if (mode.readsInputs !== false) requireSomeInput(read, options);
  });
  return { read, diagnosticsFile, outputs: all };
}
