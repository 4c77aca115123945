import { lstat, readdir, rmdir, unlink } from "node:fs/promises";
import { join } from "node:path";
import { TelemetryError } from "../../errors/index.js";
import { readPlainFile } from "./read-plain-file.js";

/** A lock holder's token: the name of its file in a lock directory. */
export const TOKEN = /^[0-9a-f]{16}$/;

/** What a lock path holds, as one look saw it. */
export type LockState =
  /** Nothing: free. */
  | { readonly kind: "free" }
  /** A lock directory holding no token: its holder was killed while releasing it, or breaking. */
  | { readonly kind: "empty" }
  /** A holder's text: a token file in the lock directory, or the previous version's lock file. */
  | {
      readonly kind: "held";
      readonly file: string;
      readonly legacy: boolean;
      readonly text: string;
      readonly mtimeMs: number;
    }
  /**
   * Something this version cannot read: another user's lock, or (`foreign` says what) a thing
   * no run of this tool makes, which no run will ever remove.
   */
  | { readonly kind: "unreadable"; readonly foreign?: string };

const code = (error: unknown) => (error as NodeJS.ErrnoException).code;

// What a thing of this kind is called in a refusal, when it is not a directory or file.
function kindOf(info: { isSymbolicLink(): boolean; isFIFO(): boolean; isSocket(): boolean }) {
  if (info.isSymbolicLink()) return "a symbolic link";
  return info.isFIFO() ? "a FIFO" : info.isSocket() ? "a socket" : "a device";
}

/**
 * Reads the lock at `path`. A file there is a lock of the previous version of the tool (it took
 * its lock with link(2) of a plain file): still recognised, and broken when stale.
 */
export async function readLock(path: string): Promise<LockState> {
  const info = await lstat(path).catch((error: unknown) => code(error) ?? "unknown");
  if (info === "ENOENT") return { kind: "free" };
  if (typeof info === "string") return { kind: "unreadable" };
  if (!(info.isDirectory() || info.isFile())) {
    // Not ours (a symbolic link, say: to an empty directory it would read as empty, yet no
    // rename replaces it, and the taker would spin): waited for until the deadline, then busy.
    return { kind: "unreadable", foreign: kindOf(info) };
  }
  if (info.isFile()) return readHolder(path, true);
  let names: string[];
  try {
    names = await readdir(path);
  } catch (error) {
    if (code(error) === "ENOENT") return { kind: "free" };
    if (code(error) !== "ENOTDIR") return { kind: "unreadable" };
    return readHolder(path, true);
  }
  if (names.length === 0) return { kind: "empty" };
  const tokens = names.filter((name) => TOKEN.test(name));
  const other = names.find((name) => !TOKEN.test(name));
  if (other !== undefined) return { kind: "unreadable", foreign: `a file named ${other}` };
  if (tokens.length !== 1) return { kind: "unreadable", foreign: "several holders' files" };
  const state = await readHolder(join(path, tokens[0] as string), false);
  // Released or broken between the listing and the read: look again.
  return state.kind === "free" ? { kind: "empty" } : state;
}

async function readHolder(file: string, legacy: boolean): Promise<LockState> {
  try {
    const { text, mtimeMs } = await readPlainFile(file);
    return { kind: "held", file, legacy, text, mtimeMs };
  } catch (error) {
    const why = code(error);
    if (why === "ENOENT") return { kind: "free" };
    // EINVAL: not a regular file (readPlainFile); ELOOP: a symbolic link.
    if (why === "EINVAL" || why === "ELOOP") {
      return { kind: "unreadable", foreign: `${file}, not a regular file` };
    }
    return { kind: "unreadable" };
  }
}

/**
 * Removes the token file `token` (when given) from the lock directory `path`, then the directory
 * if that left it empty. Never anything of another holder: the file goes by its own name, and
 * rmdir(2) fails on a directory that holds a file (another holder's lock taken meanwhile). A
 * directory left empty (a process killed between the two calls) is replaced by the next taker.
 */
export async function dropLockDirectory(path: string, token: string | undefined): Promise<void> {
  if (token !== undefined) {
    // Never written (a full disk), or removed by a taker that judged its holder stale.
    await unlink(join(path, token)).catch(() => undefined);
  }
  // Not empty (a newer holder's), already gone, or never made.
  await rmdir(path).catch(() => undefined);
}

/**
 * Breaks the stale lock `judged` (as readLock saw it): unlinks the judged holder's token file by
 * its name, then the directory if that left it empty, so a lock taken anew meanwhile (another
 * token) is never removed, whatever the interleaving of breakers. The previous version's lock
 * file is unlinked by the lock's name: this version never puts a file there, and unlink(2)
 * refuses the directory a taker of this version made meanwhile.
 */
export async function breakLock(path: string, judged: LockState & { kind: "held" }): Promise<void> {
  try {
    await unlink(judged.file);
  } catch (error) {
    // Broken by another taker first (gone), or a taker's directory in the previous version's
    // place. A holder's file still there could not be removed (EACCES: another user's lock, left
    // by a killed run): the lock stays stale for good, and the taker that went round again, with
    // no wait, spun at full CPU past its `--lock-wait` until it was killed.
    const left = await lstat(judged.file).catch(() => undefined);
    if (left?.isFile() === true) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new TelemetryError("io_error", `cannot remove the stale lock ${path} (${code})`, {
        cause: error,
      });
    }
  }
  if (!judged.legacy) await rmdir(path).catch(() => undefined);
}
