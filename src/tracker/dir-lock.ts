import { randomBytes } from "node:crypto";
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { heldTokens } from "./held-tokens.js";
import { dropLockDirectory, lockDirectoryMode, TOKEN } from "./lock-directory.js";
import { holderState, threadIdentity } from "./lock-holder.js";

/**
 * A lock not refreshed for this long (by its modification time) is stale, unless its holder thread
 * is known to run (see lock-holder.ts).
 */
export const LOCK_STALE_MS = 30_000;

/** Who a lock at the path names: a token file in a directory, or an earlier version's file. */
// "empty": no holder's token file, only what no version of this code puts there (`strays`).
type Holder = TokenHolder | { readonly kind: "empty"; readonly strays: readonly string[] };

interface TokenHolder {
  readonly kind: "directory" | "file";
  readonly fields: string[];
  readonly token: string;
}

/**
 * A lock shared by the threads and processes writing one directory: a directory holding one file,
 * named by its holder's random token, that says `<pid> <token> <thread identity>`. It is built
 * whole under a temporary name and renamed into place, which fails while the lock directory holds
 * a file (and replaces one left empty). The lock is broken by unlinking the token file of the
 * holder judged gone, by that name: a lock taken anew meanwhile has another token, so it can
 * never be removed by mistake, whatever the interleaving of takers (a rename of the lock aside,
 * or an unlink by the lock's name, would take whichever lock is there by then). No hard links.
 * The next taker breaks it at once when its holder thread has ended (a process killed, a worker
 * thread terminated), never while that thread runs, and otherwise (no thread identity to go by)
 * once it has not been refreshed for {@link LOCK_STALE_MS}. Local file systems only: pids mean
 * nothing across hosts.
 */
export class DirLock {
  private token: string | undefined;
  // A lock file touched after now, and when (monotonic) this process first saw it so.
  private aheadSeen: { readonly key: string; readonly at: number } | undefined;
  // Temp directories of takers that ended before removing them are looked for once per lock.
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
      utimesSync(join(this.path, this.token), now, now);
    } catch {
      // Broken by someone who took us for dead: the work under it stays safe (see callers).
    }
  }

  /** Releases the lock if this holder still owns it: only its own token file is removed. */
  release(): void {
    const token = this.token;
    if (token === undefined) return;
    this.token = undefined;
    heldTokens().delete(token);
    dropLockDirectory(this.path, token);
  }

  /**
   * Builds the lock whole in a temporary directory and renames it into place: a lock is never
   * seen without its holder's name, which would block every taker for LOCK_STALE_MS.
   */
  private create(): boolean {
    const token = randomBytes(8).toString("hex");
    const identity = threadIdentity();
    const text = `${process.pid} ${token}${identity === "" ? "" : ` ${identity}`}\n`;
    const temp = `${this.path}.${token}.tmp`;
    try {
      mkdirSync(temp, { mode: lockDirectoryMode(this.mode) });
      writeFileSync(join(temp, token), text, { mode: this.mode, flag: "wx" });
      renameSync(temp, this.path);
    } catch (error) {
      // Whatever failed, nothing of this taker's stays behind (a full disk lets the directory be
      // made but not the file written).
      dropLockDirectory(temp, token);
      const code = (error as NodeJS.ErrnoException).code;
      // Held (a directory holding a token), an earlier version's lock file (ENOTDIR), or this
      // temp removed by a sweep that took it for a dead taker's: not taken, this time.
      if (code === "EEXIST" || code === "ENOTEMPTY" || code === "ENOTDIR" || code === "ENOENT") {
        return false;
      }
      throw error;
    }
    this.token = token;
    heldTokens().add(token);
    return true;
  }

  /** The holder the lock names, or undefined when there is no lock. */
  private readHolder(): Holder | undefined {
    let names: string[];
    try {
      names = readdirSync(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOTDIR") return undefined;
      return this.readToken("file", this.path);
    }
    const token = names.find((name) => TOKEN.test(name));
    if (token === undefined) return { kind: "empty", strays: names };
    const holder = this.readToken("directory", join(this.path, token));
    // The file goes by its own name, whatever it says: one whose text never reached the disk (a
    // power cut after the rename; it is not fsynced) names no token, and taken at its word it
    // would never be broken, stopping the channel's rotation for good.
    if (holder !== undefined) return { ...holder, token };
    // Not a file under a token's name (a directory put there by hand) names no holder either, and
    // would keep every taker out for good like any stray. One gone meanwhile was released.
    // Anything else (the lock replaced meanwhile, even by an earlier version's file: ENOTDIR)
    // is judged again at the next look.
    let entry: ReturnType<typeof lstatSync>;
    try {
      entry = lstatSync(join(this.path, token), { throwIfNoEntry: false });
    } catch {
      entry = undefined;
    }
    return { kind: "empty", strays: entry === undefined || entry.isFile() ? [] : [token] };
  }

  private readToken(kind: "directory" | "file", path: string): TokenHolder | undefined {
    try {
      const fields = readFileSync(path, "utf8").trim().split(" ");
      return { kind, fields, token: fields[1] ?? "" };
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
   * Removes the lock when its holder is gone, or silent and not known to run; true when it may
   * be free now. Only the judged holder's token file is unlinked, by its name.
   */
  private breakIfStale(): boolean {
    const holder = this.readHolder();
    // Gone already (released), or left empty by a holder that ended while releasing: the next
    // create's rename replaces an empty directory.
    if (holder === undefined) return true;
    if (holder.kind === "empty") return this.removeStrays(holder.strays);
    const file = holder.kind === "file" ? this.path : join(this.path, holder.token);
    let mtime: number;
    try {
      mtime = statSync(file).mtimeMs;
    } catch {
      return true;
    }
    const state = holderState(holder.fields);
    if (state === "running" && !leftByThisThread(holder)) return false;
    if (state === "unsure" && this.silentFor(mtime, holder.token) < LOCK_STALE_MS) return false;
    // A directory holding another holder's token is never removed: unlink(2) refuses a
    // directory, rmdir(2) one that is not empty. An earlier version's lock file is unlinked by
    // the lock's name: only a process of that version can have put a new one there meanwhile.
    try {
      unlinkSync(file);
    } catch (error) {
      // Broken by another taker first (ENOENT). One this user may not remove (another user's
      // lock, left by a process killed while holding it) keeps every taker out for good: thrown,
      // so that the caller reports it, never taken for a lock held.
      if (!isNotRemovable(error)) return true;
      throw error;
    }
    if (holder.kind === "directory") dropLockDirectory(this.path, undefined);
    return true;
  }

  /**
   * Removes what a lock directory holds besides a token file (a file copied or made there by
   * hand, a backup tool's): rename(2) never replaces a directory that is not empty, so it would
   * keep every taker out for good, silently. Only once the directory has been left alone as long
   * as a stale lock; only those names, never a token file, which a taker may be putting there.
   */
  private removeStrays(strays: readonly string[]): boolean {
    if (strays.length === 0) return true;
    try {
      if (Date.now() - statSync(this.path).mtimeMs < LOCK_STALE_MS) return false;
      for (const name of strays) rmSync(join(this.path, name), { recursive: true, force: true });
    } catch (error) {
      // Gone meanwhile: not taken, this time. Not removable by this user: reported (see above).
      if (isNotRemovable(error)) throw error;
    }
    return true;
  }

  /**
   * Removes the temp directories of takers that ended between making one and renaming it (a
   * worker thread terminated there). A temp of a running taker is kept; one naming no thread (or
   * nothing yet) is removed once as old as a stale lock: its taker, if alive, then just fails to
   * take the lock once.
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
      const token = name.slice(prefix.length, -".tmp".length);
      if (!name.startsWith(prefix) || !name.endsWith(".tmp") || !TOKEN.test(token)) continue;
      const path = join(dirname(this.path), name);
      try {
        const stat = statSync(path);
        // An earlier version's temp is a plain file holding the holder's text.
        const text = stat.isDirectory() ? join(path, token) : path;
        const state = holderState(this.readToken("file", text)?.fields ?? []);
        const old = Date.now() - stat.mtimeMs >= LOCK_STALE_MS;
        if (state !== "gone" && !(state === "unsure" && old)) continue;
        if (stat.isDirectory()) dropLockDirectory(path, token);
        else unlinkSync(path);
      } catch {
        // Taken in or removed meanwhile.
      }
    }
  }
}

/** An error that says this user may not remove a lock's file: it stays there. */
function isNotRemovable(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "EACCES" || code === "EPERM" || code === "EROFS";
}

/**
 * True for a lock of this version naming this very thread under a token it does not hold: its
 * release failed (see held-tokens.ts). Such a lock would otherwise stop the channel's rotation
 * for as long as this thread lives, the problem long cleared.
 */
function leftByThisThread(holder: TokenHolder): boolean {
  const identity = threadIdentity();
  return (
    holder.kind === "directory" &&
    identity !== "" &&
    holder.fields[0] === String(process.pid) &&
    holder.fields.slice(2).join(" ") === identity &&
    !heldTokens().has(holder.token)
  );
}
