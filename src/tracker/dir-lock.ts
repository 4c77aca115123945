import { randomBytes } from "node:crypto";
import {
  closeSync,
  linkSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { holderState, threadIdentity } from "./lock-holder.js";

/**
 * A lock not refreshed for this long (by its modification time) is stale, unless its holder thread
 * is known to run (see lock-holder.ts).
 */
export const LOCK_STALE_MS = 30_000;

/**
 * A lock shared by the threads and processes writing one directory: a file holding
 * `<pid> <token> <thread identity>`, written whole under a temporary name and linked into place
 * (link(2) fails when the lock exists). The next taker breaks it at once when its holder thread
 * has ended (a process killed, a worker thread terminated), never while that thread runs, and
 * otherwise (no thread identity to go by) once it has not been refreshed for
 * {@link LOCK_STALE_MS}. Local file systems only: pids mean nothing across hosts.
 */
export class DirLock {
  private token: string | undefined;
  // A lock file touched after now, and when (monotonic) this process first saw it so.
  private aheadSeen: { readonly key: string; readonly at: number } | undefined;
  // Temp files of takers that ended before removing them are looked for once per lock object.
  private swept = false;

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
    if (!this.create() && !(this.breakIfStale() && this.create())) return false;
    if (!this.swept) {
      this.swept = true;
      this.sweepTemps();
    }
    return true;
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

  /**
   * Creates the lock whole: a lock file created empty and written next (O_EXCL) is left empty
   * by a thread terminated in between, and an empty lock names no holder whose end could be
   * seen, so it would block every taker for LOCK_STALE_MS.
   */
  private create(): boolean {
    const token = randomBytes(8).toString("hex");
    const identity = threadIdentity();
    const text = `${process.pid} ${token}${identity === "" ? "" : ` ${identity}`}\n`;
    const temp = `${this.path}.${token}.tmp`;
    try {
      writeFileSync(temp, text, { mode: this.mode, flag: "wx" });
    } catch (error) {
      // A full disk fails here, before any lock exists: nothing is left to block other takers,
      // and the temp file it could create but not write goes too.
      try {
        unlinkSync(temp);
      } catch {
        // Never created.
      }
      throw error;
    }
    try {
      linkSync(temp, this.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST") return false;
      // Removed by a sweep that took this temp for a dead taker's (see sweepTemps): try again later.
      if (code === "ENOENT") return false;
      // A file system without hard links: O_EXCL, with the empty window that has.
      if (code === "EPERM" || code === "ENOTSUP" || code === "EOPNOTSUPP") {
        return this.createInPlace(token, text);
      }
      throw error;
    } finally {
      try {
        unlinkSync(temp);
      } catch {
        // Gone already.
      }
    }
    this.token = token;
    return true;
  }

  private createInPlace(token: string, text: string): boolean {
    let fd: number;
    try {
      fd = openSync(this.path, "wx", this.mode);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw error;
    }
    try {
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

  private readHolder(path: string): { fields: string[]; token: string } | undefined {
    try {
      const fields = readFileSync(path, "utf8").trim().split(" ");
      return { fields, token: fields[1] ?? "" };
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
   * Removes the lock when its holder is gone, or silent and not known to run. The stale file is
   * first renamed to a unique name, so of several takers breaking it at once only one succeeds;
   * if what it took turns out to be a fresh lock (taken meanwhile), it is linked back.
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
    const state = holderState(holder.fields);
    if (state === "running") return false;
    if (state === "unsure" && this.silentFor(mtime, holder.token) < LOCK_STALE_MS) return false;
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

  /**
   * Removes the temp files of takers that ended between writing one and removing it (a worker
   * thread terminated there). A temp of a running taker is kept; one naming no thread is removed
   * once as old as a stale lock: its taker, if alive, then just fails to take the lock once.
   */
  private sweepTemps(): void {
    const prefix = `${basename(this.path)}.`;
    let names: string[];
    try {
      names = readdirSync(dirname(this.path));
    } catch {
      return;
    }
    for (const name of names) {
      if (!name.startsWith(prefix) || !/^[0-9a-f]{16}\.tmp$/.test(name.slice(prefix.length))) {
        continue;
      }
      const path = join(dirname(this.path), name);
      try {
        const state = holderState(readFileSync(path, "utf8").trim().split(" "));
        const old = Date.now() - statSync(path).mtimeMs >= LOCK_STALE_MS;
        if (state === "gone" || (state === "unsure" && old)) unlinkSync(path);
      } catch {
        // Taken in or removed meanwhile.
      }
    }
  }
}
