import { availableParallelism } from "node:os";
import { setFlagsFromString } from "node:v8";
import { DEFAULT_MAX_WORKERS } from "../plan/check-workers.js";

/** The V8 flag {@link tuneWorkerCompilation} sets. */
export const WORKER_COMPILATION_FLAG = "--no-concurrent-recompilation";

/** What {@link tuneWorkerCompilation} reads of the process, and how it sets a V8 flag. */
export interface CompilationContext {
  /** Cores the process may use. */
  readonly cores: number;
  /** The Node and V8 options the process was started with (command line and NODE_OPTIONS). */
  readonly options: string;
  readonly setFlag: (flag: string) => void;
}

const processContext = (): CompilationContext => ({
  cores: availableParallelism(),
  options: `${process.execArgv.join(" ")} ${process.env.NODE_OPTIONS ?? ""}`,
  setFlag: setFlagsFromString,
});

/**
 * Makes worker threads started from now on compile their hot functions in their own thread.
 * By default V8 hands that work to helper threads and goes on running the code unoptimized.
 * When the pool has a reader on every core (up to DEFAULT_MAX_WORKERS cores), those helpers
 * only took turns with the readers, and the readers ran slow code the longer: on 2 cores,
 * 1M events, the whole process took 0.917 of the time for `aggregate`, 0.938 for the Parquet
 * export, 0.931 and 0.942 for the JSON and Parquet exports of Python's lines (8 pairs each;
 * BENCHMARKS.md, round six).
 *
 * V8 reads the flag when it makes a thread's isolate: the main thread, made before, keeps
 * compiling in the background, which suits its reading of small inputs alone. Call it after
 * loading the CLI: V8 checks a code cache against its flags. Not done with more cores than
 * the pool fills, nor when the process was started with the flag either way (in either
 * spelling), nor with V8's flags frozen (`--freeze-flags-after-init`). V8's flags are the
 * process's: for the CLI's process only. Returns the flag set, if any.
 */
export function tuneWorkerCompilation(
  context: CompilationContext = processContext(),
): string | undefined {
  if (context.cores > DEFAULT_MAX_WORKERS) return undefined;
  // V8 takes `_` for `-` in its flags' names. With its flags frozen, setting one aborts the
  // process (SIGTRAP, "Check failed: !IsFrozen()"), whatever the flag.
  const options = context.options.replaceAll("_", "-");
  if (options.includes("concurrent-recompilation")) return undefined;
  if (options.includes("freeze-flags-after-init")) return undefined;
  context.setFlag(WORKER_COMPILATION_FLAG);
  return WORKER_COMPILATION_FLAG;
}
