import { randomBytes } from "node:crypto";
import { constants, rmdirSync, rmSync } from "node:fs";
import { copyFile, type FileHandle, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { TelemetryError } from "../../errors/index.js";
import type { OutputStream } from "../contracts.js";
import { EarlyFlush } from "./early-flush.js";
import { syncAndClose, writeOutput } from "./file-commit.js";
import { renameKeepingSpare } from "./keep-replaced.js";
import { outputTarget } from "./output-target.js";
import type { WrittenIdentity } from "./written-identity.js";

/** Where an export's bytes go: written in order, then committed or aborted. */
export interface OutputSink {
  /**
   * True when a buffer may be reused as soon as its write() resolves: a file's bytes are then
   * the kernel's, where a stream may still hold the buffer itself.
   */
  readonly releasesWrites: boolean;
  write(data: string | Uint8Array): Promise<void>;
  /** Makes the output visible (for files: rename over the target). */
  commit(): Promise<void>;
  /** Discards everything written; the previous output stays as it was. */
  abort(): Promise<void>;
}

// Temp files of this process, removed by removeTempFilesSync() when the CLI is interrupted.
const liveTempFiles = new Set<string>();
// Lock directories this process holds: removed after the temp files (its token file among them).
const liveLockDirectories = new Set<string>();

/** Removes every temp file (and temp directory) this process is writing (for SIGINT handlers). */
export function removeTempFilesSync(): void {
  for (const path of liveTempFiles) rmSync(path, { force: true, recursive: true });
  liveTempFiles.clear();
  for (const path of liveLockDirectories) {
    try {
      // Only if empty: one holding another run's token (ours was broken) is that run's lock.
      rmdirSync(path);
    } catch {
      // Not empty, or gone.
    }
  }
  liveLockDirectories.clear();
}

/** Registers a lock directory this process holds for {@link removeTempFilesSync}, or forgets it. */
export function trackLockDirectory(path: string, live: boolean): void {
  if (live) liveLockDirectories.add(path);
  else liveLockDirectories.delete(path);
}

/** Registers a temp path for {@link removeTempFilesSync}, or forgets it. */
export function trackTemp(path: string, live: boolean): void {
  if (live) liveTempFiles.add(path);
  else liveTempFiles.delete(path);
}

/** A unique temp path beside `target`. */
export function tempPathFor(target: string): string {
  return join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
}

/**
 * The regular file `target` names, to be replaced atomically: itself, or a symbolic link's target
 * (so the link is never replaced by a file and its target never left stale). Refuses a directory
 * and anything else that is not a regular file; devices and FIFOs go through openOutputSink.
 */
async function regularTarget(target: string): Promise<{ path: string; mode?: number }> {
  const resolved = await outputTarget(target);
  if (resolved.kind !== "file") {
    throw new TelemetryError("output_conflict", `output ${target} is not a regular file`);
  }
  return resolved;
}

export type { WrittenIdentity } from "./written-identity.js";

/**
 * A file written atomically: bytes go to a temp file beside the target, which is fsynced and
 * renamed over the target on commit, so readers see the old file or the new one, never a part.
 */
export class AtomicFileSink implements OutputSink {
  readonly releasesWrites = true;
  /** Set by {@link commit}: the file this sink wrote, as its handle saw it after the last byte. */
  written: WrittenIdentity | undefined;
  /** Set by {@link commit} when the file it replaced was kept as the spare (see keep-replaced.ts). */
  keptSpare = false;
  private readonly flush: EarlyFlush;
  private constructor(
    private readonly target: string,
    private readonly tempPath: string,
    private handle: FileHandle | undefined,
    private readonly keepSpare = false,
  ) {
    this.flush = new EarlyFlush(handle as FileHandle);
  }

  /** Opens the temp file beside `target` (exclusively; mode 0644, or that of the file it replaces). */
  static async create(given: string): Promise<AtomicFileSink> {
    const { path: target, mode } = await regularTarget(given);
    const tempPath = tempPathFor(target);
    // Registered before it exists: a SIGINT between the file's creation and the line after
    // `await open` must still find it (removing a path that was never created is harmless).
    liveTempFiles.add(tempPath);
    let handle: FileHandle | undefined;
    try {
      handle = await open(tempPath, "wx", mode ?? 0o644);
      // Exactly the mode it replaces, whatever the umask.
      if (mode !== undefined) await handle.chmod(mode);
    } catch (cause) {
      // Made, then its mode refused: ours to remove (never a file found at its name).
      if (handle !== undefined) {
        await handle.close().catch(() => undefined);
        await rm(tempPath, { force: true });
      }
      liveTempFiles.delete(tempPath);
      const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
      throw new TelemetryError("io_error", `cannot write beside ${target} (${code})`, { cause });
    }
    return new AtomicFileSink(target, tempPath, handle);
  }

  /**
   * Like {@link create}, but the temp file starts as the first `prefixBytes` bytes of the existing
   * `target` (copied by the kernel where it can, and shared copy-on-write, in no time, on file
   * systems with reflinks such as btrfs, XFS or APFS), and writes append after them.
   */
  static async createFrom(
    given: string,
    prefixBytes: number,
    options: { readonly keepSpare?: boolean } = {},
  ): Promise<AtomicFileSink> {
    const { path: target } = await regularTarget(given);
    const tempPath = tempPathFor(target);
    liveTempFiles.add(tempPath);
    let handle: FileHandle;
    try {
      await copyFile(target, tempPath, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
      handle = await open(tempPath, "r+");
      await handle.truncate(prefixBytes);
      await handle.close();
      handle = await open(tempPath, "a");
    } catch (cause) {
      await rm(tempPath, { force: true });
      liveTempFiles.delete(tempPath);
      const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
      throw new TelemetryError("io_error", `cannot write beside ${target} (${code})`, { cause });
    }
    // Through a symbolic link, the spare would be left beside its target, in another directory.
    const keepSpare = options.keepSpare === true && target === given;
    return new AtomicFileSink(target, tempPath, handle, keepSpare);
  }

  async write(data: string | Uint8Array): Promise<void> {
    this.flush.wrote(await writeOutput(this.handle, this.target, data));
  }

  async commit(): Promise<void> {
    const handle = this.handle;
    if (handle === undefined) return;
    this.handle = undefined;
    try {
      await this.flush.settle();
      this.written = await syncAndClose(handle);
      if (this.keepSpare) this.keptSpare = await renameKeepingSpare(this.tempPath, this.target);
      else await rename(this.tempPath, this.target);
      liveTempFiles.delete(this.tempPath);
    } catch (cause) {
      // Closed already when the failure came after syncAndClose; that second close is refused.
      await handle.close().catch(() => undefined);
      await rm(this.tempPath, { force: true });
      liveTempFiles.delete(this.tempPath);
      const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
      throw new TelemetryError("io_error", `cannot replace ${this.target} (${code})`, { cause });
    }
  }

  async abort(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
    await rm(this.tempPath, { force: true });
    liveTempFiles.delete(this.tempPath);
  }
}

/** True when `error` says the output stream's reader went away (`| head`: EPIPE). */
export function isClosedOutput(error: unknown): boolean {
  const cause = error instanceof TelemetryError ? error.cause : error;
  return (cause as NodeJS.ErrnoException | undefined)?.code === "EPIPE";
}

/**
 * A stream (stdout) as a sink: writes honour backpressure; commit and abort leave it open. A
 * stream error (EPIPE when the reader exits early) fails the current and every later write,
 * never escapes as an unhandled 'error' event.
 */
export class StreamSink implements OutputSink {
  readonly releasesWrites = false;
  private failure: TelemetryError | undefined;

  constructor(private readonly stream: OutputStream) {
    stream.on?.("error", (error) => this.fail(error));
  }

  private fail(error: Error): TelemetryError {
    // The code alone, as every other failed write says it (`ENOSPC`, not Node's sentence).
    const reason = (error as NodeJS.ErrnoException).code ?? error.message;
    this.failure ??= new TelemetryError("io_error", `writing output failed (${reason})`, {
      cause: error,
    });
    return this.failure;
  }

  write(data: string | Uint8Array): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const stream = this.stream;
      const onError = (error: Error) => {
        stream.off?.("drain", onDrain);
        reject(this.fail(error));
      };
      const onDrain = () => {
        stream.off?.("error", onError);
        resolve();
      };
      const ok = stream.write(data, (error) => {
        if (error) onError(error);
      });
      if (ok) resolve();
      else {
        stream.once("drain", onDrain);
        stream.once("error", onError);
      }
    });
  }

  commit(): Promise<void> {
    return this.failure === undefined ? Promise.resolve() : Promise.reject(this.failure);
  }

  abort(): Promise<void> {
    return Promise.resolve();
  }
}
