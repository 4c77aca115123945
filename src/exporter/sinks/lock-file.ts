import { randomBytes } from "node:crypto";
import { lstat, mkdir, readdir, rename, rm, utimes, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { TelemetryError } from "../../errors/index.js";
import { processAlive } from "./leftover-temps.js";
import { breakLock, dropLockDirectory, readLock } from "./lock-directory.js";
import { trackLockDirectory, trackTemp } from "./output-sink.js";
import { readPlainFile } from "./read-plain-file.js";

/** Who holds a lock: written into the lock file. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
  readonly since: string;
}

/** The errors a lock's user words for its own readers. */
export interface LockRefusals {
  /**
   * Another holder kept the lock for the whole wait (`holder` undefined: unreadable), or
   * (`foreign` says what) a thing no run of this tool makes is in its place: not a run to wait for.
   */
  readonly busy: (path: string, holder: LockHolder | undefined, foreign?: string) => TelemetryError;
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
 * An exclusive lock: on a run's output (state/run-lock.ts) or on a shared dataset's publication
 * (dataset/dataset-lock.ts). The lock is a directory holding one file, named by its holder's
 * random token, that names the holder (lock-directory.ts). It is built whole under a temporary
 * name and renamed into place, which fails while the lock directory holds a file (and replaces
 * one left empty), so the lock always names its holder. No hard links: it works on file systems
 * without them. A lock is stale, and is broken, when its holder is a dead process of this host,
 * or when it has not been refreshed for `staleMs` (a holder on another host, a reused pid, a hung
 * holder); holders refresh it every `staleMs / 6`. Breaking and releasing unlink a holder's token
 * file by its name, never the lock's name: a rename of the lock aside or an unlink by its name
 * takes whichever lock is there by then, and two runs breaking one lock (or a holder releasing
 * one it was judged to have lost) could remove a fresh lock between them and leave two holders.
 */
export class LockFile {
  private timer: NodeJS.Timeout | undefined;
  private lost = false;
  private readonly file: string;

  private constructor(
    private readonly path: string,
    private readonly holder: LockHolder,
    staleMs: number,
    private readonly refusals: LockRefusals,
  ) {
    this.file = join(path, holder.token);
    this.timer = setInterval(() => {
      const now = new Date();
      // Our token file is gone only if another run broke the lock.
      utimes(this.file, now, now).catch(() => {
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
      if (await tryTake(path, token, text)) {
        // Removed when the CLI is interrupted: our token file by its name, then the directory
        // only if empty (a dead holder's lock would be broken anyway, but need not be left).
        trackTemp(join(path, token), true);
        trackLockDirectory(path, true);
        await removeLockLeftovers(path, stale);
        return new LockFile(path, holder, staleMs, options);
      }
      const lock = await readLock(path);
      // Released meanwhile, or left empty by a holder killed while releasing (the next rename
      // replaces an empty directory): try again at once.
      if (lock.kind === "free" || lock.kind === "empty") continue;
      if (lock.kind === "unreadable") {
        // Another user's lock, foreign files in its place: the deadline still ends the wait,
        // without a busy loop.
        if (now() >= deadline) throw options.busy(path, undefined, lock.foreign);
        await sleep(Math.max(1, Math.min(10, deadline - now())));
        continue;
      }
      const other = parseHolder(lock.text);
      if (stale(other, lock.mtimeMs)) {
        await breakLock(path, lock);
        continue;
      }
      if (now() >= deadline) throw options.busy(path, other);
      await sleep(Math.max(1, Math.min(POLL_MS, deadline - now())));
    }
  }

  /** Throws when the lock was broken by another holder (this one must then not commit). */
  async assertHeld(): Promise<void> {
    // Only this holder ever makes its token file, once: it can be gone, never back.
    const current = await readPlainFile(this.file).catch((error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code;
      if (this.lost || code === "ENOENT" || code === "ENOTDIR") return undefined;
      // Not read (no descriptor left, an I/O error, something else in its place): not known to
      // be lost, nor to be held. Said to be another run's, it sent users after a run that was not.
      throw new TelemetryError(
        "io_error",
        `cannot check the lock ${this.path} (${code ?? String(error)}); nothing was committed`,
        { cause: error },
      );
    });
    if (this.lost || parseHolder(current?.text ?? "")?.token !== this.holder.token) {
      throw this.refusals.lost(this.path);
    }
  }

  /** Removes the lock, if it is still this run's: its own token file, by name, never another's. */
  async release(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    trackTemp(this.file, false);
    trackLockDirectory(this.path, false);
    await dropLockDirectory(this.path, this.holder.token);
  }
}

function cannotCreate(path: string, error: unknown): TelemetryError {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return new TelemetryError("io_error", `cannot create the lock ${path} (${code})`, {
    cause: error,
  });
}

/**
 * Makes the lock whole in a temporary directory and renames it into place: true when taken.
 * False when held (a directory holding a token), when a lock of the previous version is there (a
 * file), or when this temp was removed by a sweep that took it for a dead taker's.
 */
async function tryTake(path: string, token: string, text: string): Promise<boolean> {
  const temp = `${path}.${token}.tmp`;
  trackTemp(temp, true);
  try {
    try {
      // Search allowed wherever reading is (0o755), as for the 0o644 lock file of before.
      await mkdir(temp, { mode: 0o755 });
      await writeFile(join(temp, token), text, { flag: "wx", mode: 0o644 });
    } catch (error) {
      // A full disk lets the directory be made but not the file written: nothing stays behind,
      // and the error names the lock (a bare "ENOSPC ..., write" names no file).
      await dropLockDirectory(temp, token);
      throw cannotCreate(path, error);
    }
    try {
      await rename(temp, path);
      return true;
    } catch (error) {
      await dropLockDirectory(temp, token);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST" || code === "ENOTEMPTY" || code === "ENOTDIR" || code === "ENOENT") {
        return false;
      }
      throw cannotCreate(path, error);
    }
  } finally {
    trackTemp(temp, false);
  }
}

// A run killed while taking a lock leaves `<lock>.<token>.tmp`, a directory holding (or about to
// hold) its token file; the previous version left such a name as a file, and `.stale` ones too.
// One of a live run exists for a moment only: it is removed when `stale` judges its holder (the
// text it holds) dead or its age past the stale time, as a lock itself would be broken.
async function removeLockLeftovers(
  path: string,
  stale: (holder: LockHolder | undefined, mtimeMs: number) => boolean,
): Promise<void> {
  const base = basename(path).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`^${base}\\.([0-9a-f]{16})\\.(tmp|stale)$`);
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  for (const name of names) {
    const token = pattern.exec(name)?.[1];
    if (token === undefined) continue;
    const leftover = join(dirname(path), name);
    // Not followed: a symbolic link (or a FIFO, which readPlainFile refuses) is not ours.
    const info = await lstat(leftover).catch(() => undefined);
    if (info === undefined || !(info.isDirectory() || info.isFile())) continue;
    const file = info.isDirectory() ? join(leftover, token) : leftover;
    const text = (await readPlainFile(file).catch(() => undefined))?.text;
    // Killed before its token file was written: only its age tells.
    if (text === undefined && !info.isDirectory()) continue;
    if (!stale(parseHolder(text ?? ""), info.mtimeMs)) continue;
    // Best effort, as for any leftover: one that cannot be removed (another user's) stays.
    if (info.isDirectory()) await dropLockDirectory(leftover, token);
    else await rm(leftover, { force: true }).catch(() => {});
  }
}
