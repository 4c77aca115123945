import { TelemetryError } from "../../errors/index.js";
import { DEFAULT_LOCK_WAIT_MS } from "../contracts.js";
import { removeLeftoverTemps } from "../sinks/leftover-temps.js";
import { RunLock } from "./run-lock.js";

/** The lock file of an ETL output directory (inside it: the directory itself stays). */
export const ETL_LOCK_FILE = ".etl.lock";

export { directoryLockPath } from "../plan/run-files.js";

/** The wait, validated: a whole number of milliseconds, zero or more. */
export function lockWait(ms: number | undefined): number {
  if (ms === undefined) return DEFAULT_LOCK_WAIT_MS;
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new TelemetryError("usage", "`lockWaitMs` must be a whole number, 0 or more", {
      path: ["lockWaitMs"],
    });
  }
  return ms;
}

/**
 * Runs `run` holding the lock at `path` (state read, outputs written, state saved), then frees
 * it. Holding it, first removes what killed runs left beside the `outputs` it guards.
 */
export async function withRunLock<T>(
  path: string,
  waitMs: number,
  outputs: readonly string[],
  run: (lock: RunLock) => Promise<T>,
): Promise<T> {
  const lock = await RunLock.acquire(path, { waitMs });
  try {
    await removeLeftoverTemps(outputs);
    return await run(lock);
  } finally {
    await lock.release();
  }
}
