import { TelemetryError } from "../../../errors/index.js";
import { LockFile, type LockHolder } from "../lock-file.js";

function busy(path: string, other: LockHolder | undefined, foreign?: string): TelemetryError {
  if (foreign !== undefined) {
    return new TelemetryError(
      "io_error",
      `the dataset's lock ${path} holds ${foreign}, which no writer makes; remove it if no writer is publishing`,
    );
  }
  return new TelemetryError(
    "io_error",
    `the dataset is busy: ${path} is held by process ${other?.pid ?? "?"} on ${other?.host ?? "?"}`,
  );
}

function lost(path: string): TelemetryError {
  return new TelemetryError(
    "io_error",
    `the dataset's lock ${path} was taken by another writer while this one published`,
  );
}

/**
 * Runs `publish` holding the dataset's lock file (see LockFile), so that two publishers never
 * build a version from the same predecessor. Held for a publication only (list, link, one
 * rename): seconds at most.
 */
export async function withDatasetLock<T>(
  path: string,
  waitMs: number,
  publish: () => Promise<T>,
): Promise<T> {
  const lock = await LockFile.acquire(path, { waitMs, busy, lost });
  try {
    return await publish();
  } finally {
    await lock.release();
  }
}
