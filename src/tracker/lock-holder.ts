import { readFileSync, readlinkSync, statSync } from "node:fs";

/**
 * Who holds a lock file, as far as another thread or process can tell:
 * - `gone`: the holder thread has ended (its process is gone, it was a worker thread that was
 *   terminated, or its pid or thread id now names another thread): the lock can go at once.
 * - `running`: that very thread still runs; however long it has held the lock, it may still be
 *   using it (a slow disk, a stopped process), so the lock is never taken from it.
 * - `unsure`: only the process is known to exist (a lock written without a thread identity, by
 *   a system without /proc or an older version, or in another pid namespace or boot): judged by
 *   how long it has not been refreshed.
 */
export type HolderState = "gone" | "running" | "unsure";

/** This thread as `<tid> <start time> <scope>`, and the scope alone ("" for both: unknown). */
let ownThread: { readonly identity: string; readonly scope: string } | undefined;

/**
 * This thread's identity for a lock file, computed once per thread (each worker thread has its
 * own copy of this module); "" where /proc does not tell it. A process id alone cannot tell a
 * worker thread that was terminated from a live one: the pid stays the live process's.
 */
export function threadIdentity(): string {
  ownThread ??= readThreadIdentity();
  return ownThread.identity;
}

function readThreadIdentity(): { identity: string; scope: string } {
  const unknown = { identity: "", scope: "" };
  try {
    // A /proc of another pid namespace (mounted from the host) would name other threads.
    if (Number(readlinkSync("/proc/self")) !== process.pid) return unknown;
    const tid = Number(readlinkSync("/proc/thread-self").split("/").at(-1));
    const start = startTime(readFileSync("/proc/thread-self/stat", "utf8"));
    if (!Number.isInteger(tid) || tid <= 0 || start === undefined) return unknown;
    const scope = hostScope();
    return { identity: `${tid} ${start} ${scope}`, scope };
  } catch {
    return unknown;
  }
}

/**
 * The boot and pid namespace thread ids mean something in. Another boot (a directory kept across
 * a reboot) or namespace (containers sharing a volume) reuses the same numbers for other threads.
 */
function hostScope(): string {
  const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  const namespace = readlinkSync("/proc/self/ns/pid").replace(/\D/g, "");
  return `${boot}/${namespace}`;
}

/**
 * Field 22 of a /proc stat line: when the thread started, in clock ticks since boot. With the
 * thread id, it names one thread for the whole boot: ids are reused, start times are not. The
 * second field (the command) may hold spaces and parentheses, hence the last ")".
 */
function startTime(stat: string): string | undefined {
  return statFields(stat)?.[19];
}

function statFields(stat: string): string[] | undefined {
  const end = stat.lastIndexOf(")");
  return end < 0 ? undefined : stat.slice(end + 2).split(" ");
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The state of the holder written in a lock file as `<pid> <token>[ <thread identity>]`
 * (`fields`: that text split on spaces).
 */
export function holderState(fields: readonly string[]): HolderState {
  const pid = Number(fields[0]);
  // Not written yet (or not by this code): only its age tells.
  if (!Number.isInteger(pid) || pid <= 0) return "unsure";
  const [tid, start, scope] = fields.slice(2, 5);
  const thread = tid !== undefined && start !== undefined && scope !== undefined;
  if (thread && threadIdentity() !== "" && scope === ownThread?.scope) {
    return threadState(pid, Number(tid), start);
  }
  // A pid of another boot or namespace names some other process, or none: it proves nothing.
  if (thread) return "unsure";
  return processExists(pid) ? "unsure" : "gone";
}

function threadState(pid: number, tid: number, start: string): HolderState {
  if (!processExists(pid)) return "gone";
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
  } catch {
    // The process is there but not that thread (it ended), unless /proc hides the process
    // (mounted with hidepid): then nothing is known of its threads.
    return visible(pid) ? "gone" : "unsure";
  }
  const fields = statFields(stat);
  if (fields?.[19] !== start) return "gone";
  // A zombie (ended, not yet waited for) or a thread being torn down holds nothing any more.
  return fields[0] === "Z" || fields[0] === "X" || fields[0] === "x" ? "gone" : "running";
}

function visible(pid: number): boolean {
  try {
    statSync(`/proc/${pid}/stat`);
    return true;
  } catch {
    return false;
  }
}
