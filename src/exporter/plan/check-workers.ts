import { availableParallelism } from "node:os";
import { TelemetryError } from "../../errors/index.js";
import { MAX_WORKERS } from "../contracts.js";

/** What a `workers` value must be, for messages. */
export const WORKERS_RULE = `must be a whole number from 0 to ${MAX_WORKERS}`;

/** The issue and error for a bad `workers` value (`got`: how it was given). */
export function invalidWorkers(got: string): TelemetryError {
  return new TelemetryError("usage", `\`workers\` ${WORKERS_RULE} (got ${got})`, {
    path: ["workers"],
  });
}

/**
 * `workers` as given (0: read in this thread; undefined: choose by input size), or a `usage`
 * error carrying the path `["workers"]`: a negative, fractional, non-finite or huge count would
 * start no workers, or hundreds of them.
 */
export function checkWorkers(workers: number | undefined): number | undefined {
  if (workers === undefined) return undefined;
  if (!Number.isInteger(workers) || workers < 0 || workers > MAX_WORKERS) {
    throw invalidWorkers(String(workers));
  }
  return workers;
}

// Below this much input, worker start-up costs more than it saves.
const PARALLEL_MIN_BYTES = 32 * 1024 * 1024;

/** Worker threads at most when none are asked for: one a core, up to this many. */
export const DEFAULT_MAX_WORKERS = 4;

/**
 * How many worker threads read a run's segments: as given (checked), else none below 32 MiB of
 * input and up to {@link DEFAULT_MAX_WORKERS} (one a core) above; never more than there are
 * segments, and none for one.
 */
export function planWorkers(given: number | undefined, bytes: number, segments: number): number {
  const wanted =
    given ??
    (bytes >= PARALLEL_MIN_BYTES ? Math.min(availableParallelism(), DEFAULT_MAX_WORKERS) : 0);
  return segments > 1 ? Math.min(wanted, segments) : 0;
}
