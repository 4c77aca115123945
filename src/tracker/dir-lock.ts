import { randomBytes } from "node:crypto";
import {
  closeSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeSync,
} from "node:fs";
import { performance } from "node:perf_hooks";

/** A lock older than this (by its modification time) is stale whatever its holder. */
export const LOCK_STALE_MS = 30_000;

function holderAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * A lock shared by the processes writing one directory: a file created with O_EXCL holding
 * `<pid> <token>`. A holder that died (its pid is gone) or that has not refreshed the lock for
 * {@link LOCK_STALE_MS} leaves a stale lock, which the next process breaks. Local file systems
 * only: pids mean nothing across hosts.
 */
export class DirLock {
  private token: string | undefined;
  // A lock file touched after now, and when (monotonic) this process first saw it so.
  private aheadSeen: { readonly key: string; readonly at: number } | undefined;

  constructor(
    private readonly path: string,
    private readonly mode: number,
  ) {}

  get held(): boolean {
    return this.token !== undefined;
  }

  /** Takes the lock if it is free or stale; never waits. */
  tryAcquire(): boolean {
    if (this.token !== undefined) return true;
    if (this.create()) return true;
    if (!this.breakIfStale()) return false;
    return this.create();
  }

  /** Marks the lock as still held, so a long holder is not taken for a dead one. */
  refresh(): void {
    if (this.token === undefined) return;
    const now = new Date();
    try {
      utimesSync(this.path, now, now);
    } catch {
      // Broken by someone who took us for dead: the work under it stays safe (see callers).
    }
  }

  /** Releases the lock if this holder still owns it. */
  release(): void {
    const token = this.token;
    if (token === undefined) return;
    this.token = undefined;
    if (this.readHolder(this.path)?.token === token) {
      try {
        unlinkSync(this.path);
      } catch {
        // Already gone.
      }
    }
  }

  private create(): boolean {
    const token = randomBytes(8).toString("hex");
    let fd: number;
    try {
      fd = openSync(this.path, "wx", this.mode);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw error;
    }
    try {
      const text = `${process.pid} ${token}\n`;
      // A short write would leave a token this holder cannot recognise, hence never release.
      if (writeSync(fd, text) !== text.length) throw new Error(`short write to ${this.path}`);
    } catch (error) {
      // A full disk lets the file be created but not written. Left empty, it would read as a
      // holder that has not written its pid yet and block every process for LOCK_STALE_MS.
      try {
        closeSync(fd);
        unlinkSync(this.path);
      } catch {
        // Already gone, or the file system failed: it goes stale as a silent lock does.
      }
      throw error;
    }
    closeSync(fd);
    this.token = token;
    return true;
  }

  private readHolder(path: string): { pid: number; token: string } | undefined {
    try {
      const [pid, token] = readFileSync(path, "utf8").trim().split(" ");
      return { pid: Number(pid), token: token ?? "" };
    } catch {
      return undefined;
    }
  }

  /**
   * How long the lock at `mtime` has not been refreshed. A time after now was set while the clock
   * was ahead: a live holder's next refresh sets it right within seconds, so it counts from when
   * this process first saw it; else a holder that crashed (or whose pid was reused) then would
   * block every rotation until the clock got there again.
   */
  private silentFor(mtime: number, token: string): number {
    const now = Date.now();
    if (mtime <= now) {
      this.aheadSeen = undefined;
      return now - mtime;
    }
    const key = `${mtime} ${token}`;
    if (this.aheadSeen?.key !== key) this.aheadSeen = { key, at: performance.now() };
    return performance.now() - this.aheadSeen.at;
  }

  /**
   * Removes the lock when its holder is dead or silent. The stale file is first renamed to a
   * unique name, so of several processes breaking it at once only one succeeds; if what it
   * took turns out to be a fresh lock (taken meanwhile), it is linked back.
   */
  private breakIfStale(): boolean {
    let mtime: number;
    const holder = this.readHolder(this.path);
    // Gone already (released): try to create it again.
    if (holder === undefined) return true;
    try {
      mtime = statSync(this.path).mtimeMs;
    } catch {
      return true;
    }
    // A holder between create() and its write has not written its pid yet: judged by age only.
    const alive = holder.pid > 0 && holderAlive(holder.pid);
    if (this.silentFor(mtime, holder.token) < LOCK_STALE_MS && (alive || holder.token === "")) {
      return false;
    }
    const aside = `${this.path}.stale-${randomBytes(6).toString("hex")}`;
    try {
      renameSync(this.path, aside);
    } catch {
      return true;
    }
    const taken = this.readHolder(aside);
    if (taken !== undefined && taken.token !== holder.token) {
      try {
        linkSync(aside, this.path);
      } catch {
        // Someone holds a newer lock still: theirs wins.
      }
    }
    try {
      unlinkSync(aside);
    } catch {
      // Nothing to clean.
    }
    return true;
  }
}
