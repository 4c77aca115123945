import { randomBytes } from "node:crypto";
import { link, readdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { TelemetryError } from "../../errors/index.js";
import { processAlive } from "./leftover-temps.js";
import { trackTemp } from "./output-sink.js";

/** Who holds a lock: written into the lock file. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
  readonly since: string;
}

/** The errors a lock's user words for its own readers. */
export interface LockRefusals {
  /** Another holder kept the lock for the whole wait (`holder` undefined: unreadable). */
  readonly busy: (path: string, holder: LockHolder | undefined) => TelemetryError;
  /** The lock was broken and taken by another holder while this one held it. */
  readonly lost: (path: string) => TelemetryError;
}

/** How to take a lock file. */
export interface LockFileOptions extends LockRefusals {
  /** How long to wait for another holder to release it before failing. */
  readonly waitMs: number;
  /** A lock whose holder has not refreshed it for this long is stale. Default 60 s. */
  readonly staleMs?: number;
  /** The clock, in ms since the epoch. Default `Date.now`. */
  readonly now?: () => number;
  /** Whether a process of this host is alive. Default: `process.kill(pid, 0)`. */
  readonly isAlive?: (pid: number) => boolean;
}

const DEFAULT_STALE_MS = 60_000;
const POLL_MS = 50;

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    return typeof value.pid === "number" && typeof value.token === "string"
      ? (value as LockHolder)
      : undefined;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An exclusive lock, as a lock file: on a run's output (state/run-lock.ts) or on a shared
 * dataset's publication (dataset/dataset-lock.ts). Taken with `link(2)`
 * of a complete file (atomic, and safe on NFS), so the lock file always names its holder. A lock
 * is stale, and is broken, when its holder is a dead process of this host, or when it has not
 * been refreshed for `staleMs` (a holder on another host, a reused pid, a hung holder); holders
 * refresh it every `staleMs / 6`. Breaking renames the stale file aside and checks it was the
 * one judged stale, so two runs breaking one lock cannot remove a fresh lock between them.
 */
export class LockFile {
  private timer: NodeJS.Timeout | undefined;
  private lost = false;

  private constructor(
    private readonly path: string,
    private readonly holder: LockHolder,
    staleMs: number,
    private readonly refusals: LockRefusals,
  ) {
    this.timer = setInterval(() => {
      const now = new Date();
      utimes(this.path, now, now).catch(() => {
        this.lost = true;
      });
    }, staleMs / 6);
    this.timer.unref();
  }

  static async acquire(path: string, options: LockFileOptions): Promise<LockFile> {
    const now = options.now ?? Date.now;
    const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
    const isAlive = options.isAlive ?? processAlive;
    const token = randomBytes(8).toString("hex");
    const holder: LockHolder = {
      pid: process.pid,
      host: hostname(),
      token,
      since: new Date(now()).toISOString(),
    };
    const text = `${JSON.stringify(holder)}\n`;
    const deadline = now() + options.waitMs;
    const stale = (other: LockHolder | undefined, mtimeMs: number) =>
      (other !== undefined && other.host === holder.host && !isAlive(other.pid)) ||
      now() - mtimeMs > staleMs;
    for (;;) {
      if (await tryLink(path, `${path}.${token}.tmp`, text)) {
        // Removed with the temp files when the CLI is interrupted (a dead holder's lock would
        // be broken anyway, but need not be left behind).
        trackTemp(path, true);
        await removeLockLeftovers(path, stale);
        return new LockFile(path, holder, staleMs, options);
      }
      const current = await readFile(path, "utf8").catch(() => undefined);
      const info = await stat(path).catch(() => undefined);
      if (current === undefined || info === undefined) {
        // Released meanwhile (retry at once), or unreadable to us (another user's lock, a
        // directory in its place): then the deadline still ends the wait, without a busy loop.
        if (now() >= deadline) throw options.busy(path, undefined);
        await sleep(Math.max(1, Math.min(10, deadline - now())));
        continue;
      }
      const other = parseHolder(current);
      if (stale(other, info.mtimeMs)) {
        await breakStale(path, `${path}.${token}.stale`, current);
        continue;
      }
      if (now() >= deadline) throw options.busy(path, other);
      await sleep(Math.max(1, Math.min(POLL_MS, deadline - now())));
    }
  }

  /** Throws when the lock was broken by another holder (this one must then not commit). */
  async assertHeld(): Promise<void> {
    const current = await readFile(this.path, "utf8").catch(() => undefined);
    if (this.lost || parseHolder(current ?? "")?.token !== this.holder.token) {
      throw this.refusals.lost(this.path);
    }
  }

  /** Removes the lock, if it is still this run's. */
  async release(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    trackTemp(this.path, false);
    const current = await readFile(this.path, "utf8").catch(() => undefined);
    if (parseHolder(current ?? "")?.token === this.holder.token)
      await rm(this.path, { force: true });
  }
}

// Creates the lock file whole, then links it into place: EEXIST means someone holds it.
async function tryLink(path: string, temp: string, text: string): Promise<boolean> {
  trackTemp(temp, true);
  await writeFile(temp, text, { flag: "wx", mode: 0o644 });
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new TelemetryError(
      "io_error",
      `cannot create the lock ${path} (${(error as NodeJS.ErrnoException).code})`,
      { cause: error },
    );
  } finally {
    await rm(temp, { force: true });
    trackTemp(temp, false);
  }
}

// A run killed while taking or breaking a lock leaves `<lock>.<token>.tmp` or `.stale`. One of a
// live run exists for a moment only: it is removed when `stale` judges its holder (the file
// holds a lock's text) dead or its age past the stale time, as a lock itself would be broken.
async function removeLockLeftovers(
  path: string,
  stale: (holder: LockHolder | undefined, mtimeMs: number) => boolean,
): Promise<void> {
  const base = basename(path).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`^${base}\\.[0-9a-f]{16}\\.(tmp|stale)$`);
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  for (const name of names.filter((n) => pattern.test(n))) {
    const leftover = join(dirname(path), name);
    const text = await readFile(leftover, "utf8").catch(() => undefined);
    const info = await stat(leftover).catch(() => undefined);
    if (text === undefined || info === undefined) continue;
    // Best effort, as for any leftover: one that cannot be removed (another user's) stays.
    if (stale(parseHolder(text), info.mtimeMs)) await rm(leftover, { force: true }).catch(() => {});
  }
}

async function breakStale(path: string, aside: string, judged: string): Promise<void> {
  try {
    await rename(path, aside);
  } catch {
    return; // someone else broke it first
  }
  const moved = await readFile(aside, "utf8").catch(() => undefined);
  // Another run broke the stale lock and took a fresh one before our rename: put it back.
  if (moved !== judged) await link(aside, path).catch(() => undefined);
  await rm(aside, { force: true });
}
