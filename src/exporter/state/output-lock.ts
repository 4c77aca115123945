import { finishInterruptedCommits } from "../sinks/interrupted-commit.js";
import { removeLeftoverTemps } from "../sinks/leftover-temps.js";
import { RunLock } from "./run-lock.js";

/** The lock file of an ETL output directory (inside it: the directory itself stays). */
export const ETL_LOCK_FILE = ".etl.lock";

export { directoryLockPath } from "../plan/run-files.js";

/**
 * Runs `run` holding the lock at `path` (state read, outputs written, state saved), then frees
 * it. Holding it, first finishes what a run killed mid-commit left half done, then removes
 * what killed runs left beside the `outputs` it guards.
 */
export async function withRunLock<T>(
  path: string,
  waitMs: number,
  outputs: readonly string[],
  run: (lock: RunLock) => Promise<T>,
): Promise<T> {
  const lock = await RunLock.acquire(path, { waitMs });
  try {
    await finishInterruptedCommits(outputs);
    await removeLeftoverTemps(outputs);
    return await run(lock);
  } finally {
    await lock.release();
  }
}
