import { TelemetryError } from "../../errors/index.js";
import { LockFile, type LockFileOptions, type LockHolder } from "../sinks/lock-file.js";

/** The lock of a run's output, held from reading the state to saving it. */
export type RunLock = LockFile;

/** How a run takes the lock of its output. */
export type RunLockOptions = Omit<LockFileOptions, "busy" | "lost">;

function busy(path: string, holder: LockHolder | undefined, foreign?: string): TelemetryError {
  if (foreign !== undefined) {
    // No run will ever remove it: "try again" would send the user round in circles.
    return new TelemetryError(
      "output_locked",
      `the lock ${path} holds ${foreign}, which no run of this tool makes; remove it if no run is using the output`,
    );
  }
  const who =
    holder === undefined
      ? "another run"
      : `pid ${holder.pid} on ${holder.host} since ${holder.since}`;
  return new TelemetryError(
    "output_locked",
    `the output is in use by another run (${who}; lock ${path}); try again when it has finished`,
  );
}

function lost(path: string): TelemetryError {
  return new TelemetryError(
    "output_locked",
    `the lock ${path} was taken by another run while this one ran; nothing was committed`,
  );
}

export const RunLock = {
  /** Takes the lock at `path`, waiting `waitMs` for another run to release it. */
  acquire: (path: string, options: RunLockOptions): Promise<RunLock> =>
    LockFile.acquire(path, { ...options, busy, lost }),
};
