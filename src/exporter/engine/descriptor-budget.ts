import { readdirSync, readFileSync } from "node:fs";

// What one reader thread costs in descriptors, measured on Node 20 under Linux: four for its
// event loop while it runs, two more while it loads its code (all start at once), and four for
// the segments handed out ahead for it (the pool keeps two a thread in flight; a listed file is
// read through a descriptor of the run's and one of the segment's own).
const PER_WORKER = 10;
// Left for this thread's own files while the workers run: the outputs and their temp files,
// the diagnostics file, the run's state and lock, and the Parquet encoder's thread.
const RESERVE = 24;

/**
 * How many of `wanted` reader threads fit in the descriptors the process may still open. With
 * `--workers 32` under `ulimit -n 64`, the threads alone took more than the limit: a thread
 * failed to start (EMFILE) and the run with it, and threads that started could have found no
 * descriptor left to open an input with. Fewer threads read the same segments in the same
 * order, so the outputs are the same. Where the limit cannot be read (no /proc), `wanted`.
 */
export function workersWithinDescriptors(wanted: number): number {
  if (wanted === 0) return 0;
  const limit = softLimit();
  if (limit === undefined) return wanted;
  let open: number;
  try {
    open = readdirSync("/proc/self/fd").length;
  } catch {
    return wanted;
  }
  const fit = Math.floor((limit - open - RESERVE) / PER_WORKER);
  return Math.max(0, Math.min(wanted, fit));
}

/** RLIMIT_NOFILE's soft limit, from /proc/self/limits (Node has no getrlimit). */
function softLimit(): number | undefined {
  let text: string;
  try {
    text = readFileSync("/proc/self/limits", "utf8");
  } catch {
    return undefined;
  }
  const line = text.split("\n").find((l) => l.startsWith("Max open files"));
  const soft = line?.slice("Max open files".length).trim().split(/\s+/)[0];
  if (soft === undefined || soft === "unlimited") return undefined;
  const limit = Number(soft);
  return Number.isInteger(limit) && limit > 0 ? limit : undefined;
}
