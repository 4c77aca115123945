import { randomBytes } from "node:crypto";
import { link, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { TelemetryError } from "../../../errors/index.js";
import { trackTemp } from "../output-sink.js";

// The lock is held only to publish a version (list, link, one rename): seconds at most. A lock
// left by a dead process of this host, or older than this, is stale.
const STALE_MS = 10 * 60_000;
const POLL_MS = 20;

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
}

/** Whether a process of this host is alive. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function holderOf(text: string | undefined): Holder | undefined {
  try {
    const value = JSON.parse(text ?? "") as Partial<Holder>;
    return typeof value.pid === "number" && typeof value.token === "string"
      ? (value as Holder)
      : undefined;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function busy(path: string, other: Holder | undefined): TelemetryError {
  return new TelemetryError(
    "io_error",
    `the dataset is busy: ${path} is held by process ${other?.pid ?? "?"} on ${other?.host ?? "?"}`,
  );
}

/**
 * Runs `publish` holding the dataset's lock file, taken with link(2) of a complete file (atomic,
 * NFS included), so that two publishers never build a version from the same predecessor.
 */
export async function withDatasetLock<T>(
  path: string,
  waitMs: number,
  publish: () => Promise<T>,
): Promise<T> {
  const holder: Holder = {
    pid: process.pid,
    host: hostname(),
    token: randomBytes(8).toString("hex"),
  };
  const deadline = Date.now() + waitMs;
  const temp = `${path}.${holder.token}.tmp`;
  await writeFile(temp, JSON.stringify(holder));
  try {
    for (;;) {
      try {
        await link(temp, path);
        // Removed with the temp files on SIGINT: only once it is ours.
        trackTemp(path, true);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const text = await readFile(path, "utf8").catch(() => undefined);
      const info = await stat(path).catch(() => undefined);
      const other = holderOf(text);
      if (text === undefined || info === undefined) {
        // Released meanwhile, or unreadable to us: the deadline still ends the wait.
        if (Date.now() >= deadline) throw busy(path, other);
        await sleep(10);
        continue;
      }
      const dead = other !== undefined && other.host === holder.host && !isAlive(other.pid);
      if (dead || Date.now() - info.mtimeMs > STALE_MS) {
        await breakStale(path, `${path}.${holder.token}.stale`, text);
        continue;
      }
      if (Date.now() >= deadline) throw busy(path, other);
      await sleep(POLL_MS);
    }
  } finally {
    await rm(temp, { force: true });
  }
  try {
    return await publish();
  } finally {
    const text = await readFile(path, "utf8").catch(() => undefined);
    if (holderOf(text)?.token === holder.token) await rm(path, { force: true });
    trackTemp(path, false);
  }
}

// Moves the stale lock aside and checks that what moved is the lock judged stale; a fresh lock
// taken meanwhile by another run is put back (link fails only if yet another took its place).
async function breakStale(path: string, aside: string, staleText: string): Promise<void> {
  try {
    await rename(path, aside);
  } catch {
    return;
  }
  const moved = await readFile(aside, "utf8").catch(() => undefined);
  if (moved !== staleText) await link(aside, path).catch(() => undefined);
  await rm(aside, { force: true });
}
