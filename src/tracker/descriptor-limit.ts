import { readFileSync } from "node:fs";
import { DEFAULT_MAX_OPEN_FILES } from "./handle-pool.js";

/**
 * This process's soft limit on open files, where the system says (Linux: /proc/self/limits), or
 * undefined (another system, no limit, unreadable). Read once per call, synchronously: a Tracker
 * reads it when it is made.
 */
export function openFileLimit(limitsPath = "/proc/self/limits"): number | undefined {
  let text: string;
  try {
    text = readFileSync(limitsPath, "utf8");
  } catch {
    return undefined;
  }
  const soft = /^Max open files\s+(\d+)\s/m.exec(text)?.[1];
  return soft === undefined ? undefined : Number(soft);
}

/**
 * `maxOpenFiles` when left out: {@link DEFAULT_MAX_OPEN_FILES}, or a quarter of the process's
 * open-file limit when that is lower (at least 1), so that the host keeps most of its
 * descriptors: under `ulimit -n 64`, 64 channel files took the host's last one.
 */
export function defaultMaxOpenFiles(limit = openFileLimit()): number {
  if (limit === undefined) return DEFAULT_MAX_OPEN_FILES;
  return Math.max(1, Math.min(DEFAULT_MAX_OPEN_FILES, Math.floor(limit / 4)));
}
