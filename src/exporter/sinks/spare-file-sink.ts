import { constants } from "node:fs";
import { type FileHandle, lstat, open, rm } from "node:fs/promises";
import { TelemetryError } from "../../errors/index.js";
import { EarlyFlush } from "./early-flush.js";
import { syncAndClose, writeOutput } from "./file-commit.js";
import { renameKeepingSpare, sparePathFor } from "./keep-replaced.js";
import type { OutputSink } from "./output-sink.js";
import { writeFully } from "./write-fully.js";
import type { WrittenIdentity } from "./written-identity.js";

/** What an incremental state keeps of the spare of its events file (see keep-replaced.ts). */
export interface SpareMark {
  readonly identity: WrittenIdentity;
  /** The spare's first bytes that are the events file's too. */
  readonly committed_bytes: number;
}

// Each step of the copy waits for this thread's event loop, which a run's reading holds for a
// segment at a time: with 1 MiB steps the copy of a 25 MB delta was still going when the read
// ended (60 ms of a 0.4 s run at 10M events). Larger steps need fewer turns of the loop.
const CHUNK = 8 << 20;

/** Copies `target`'s bytes [from, to) to the same offsets of `into`, telling `flush` of each step. */
async function copyRange(
  target: string,
  into: FileHandle,
  from: number,
  to: number,
  flush: EarlyFlush,
) {
  const source = await open(target, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const buffer = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(1, to - from)));
    for (let at = from; at < to; ) {
      const { bytesRead } = await source.read(buffer, 0, Math.min(buffer.length, to - at), at);
      if (bytesRead === 0) throw new Error(`${target} ends before byte ${to}`);
      await writeFully(into, buffer.subarray(0, bytesRead), at);
      flush.wrote(bytesRead);
      at += bytesRead;
    }
  } finally {
    await source.close();
  }
}

/**
 * The events file of an incremental ETL written into its spare: the spare is brought up to the
 * events file's committed bytes (it lacks only what the last run added), the run's bytes follow,
 * and on commit it is fsynced and renamed over the events file, which becomes the spare in turn.
 * Readers see the old file or the new one, as with a temp file, but a run writes only what is new.
 */
export class SpareFileSink implements OutputSink {
  readonly releasesWrites = true;
  /** Set by {@link commit}: the file this sink wrote, as its handle saw it after the last byte. */
  written: WrittenIdentity | undefined;
  /** Set by {@link commit} when the file it replaced was kept as the spare. */
  keptSpare = false;

  /** Why bringing the spare up to date failed, once it has. */
  private failure: unknown;
  /** Set once {@link commit} begins: it cleans up after itself, and nothing is left to abort. */
  private ended = false;

  private constructor(
    private readonly target: string,
    private handle: FileHandle | undefined,
    private position: number,
    // Bringing the spare up to date runs while the run reads: its bytes and the run's own lie in
    // different ranges of the file, and at 10M events the copy was a tenth of a +1% run.
    private readonly catchingUp: Promise<void>,
    private readonly flush: EarlyFlush,
  ) {
    catchingUp.catch((cause) => {
      this.failure = cause;
    });
  }

  /**
   * The spare of `target`, holding `target`'s first `prefixBytes` bytes, ready for writes after
   * them; undefined when no spare can be trusted: changed since `mark` was taken (a run cut
   * short while writing it, an edit), linked elsewhere too, ahead of the prefix, or `target` is
   * a symbolic link.
   */
  static async open(
    target: string,
    mark: SpareMark,
    prefixBytes: number,
  ): Promise<SpareFileSink | undefined> {
    if (mark.committed_bytes > prefixBytes) return undefined;
    const found = await lstat(target).catch(() => undefined);
    if (found?.isFile() !== true) return undefined;
    const mode = found.mode & 0o777;
    let spare: FileHandle;
    try {
      spare = await open(sparePathFor(target), constants.O_RDWR | constants.O_NOFOLLOW);
    } catch {
      return undefined;
    }
    try {
      const stat = await spare.stat({ bigint: true });
      // Another link (a hard-link snapshot of an events file, `cp -al`; one planted at the
      // spare's name) is someone else's file: writing into the spare would rewrite it.
      const same =
        stat.isFile() &&
        stat.nlink === 1n &&
        stat.dev.toString() === mark.identity.dev &&
        stat.ino.toString() === mark.identity.ino &&
        Number(stat.size) === mark.identity.size &&
        Number(stat.mtimeMs) === mark.identity.mtime_ms;
      if (!same) {
        await spare.close();
        return undefined;
      }
      await spare.truncate(mark.committed_bytes);
      // The events file it replaces keeps its mode (output-target.ts), changed since or not.
      if ((Number(stat.mode) & 0o777) !== mode) await spare.chmod(mode);
    } catch (cause) {
      await spare.close().catch(() => undefined);
      throw besideError(target, cause);
    }
    const flush = new EarlyFlush(spare);
    const copying = copyRange(target, spare, mark.committed_bytes, prefixBytes, flush);
    return new SpareFileSink(target, spare, prefixBytes, copying, flush);
  }

  async write(data: string | Uint8Array): Promise<void> {
    if (this.failure !== undefined) throw besideError(this.target, this.failure);
    const bytes = await writeOutput(this.handle, this.target, data, this.position);
    this.position += bytes;
    this.flush.wrote(bytes);
  }

  async commit(): Promise<void> {
    const handle = this.handle;
    if (handle === undefined) return;
    this.handle = undefined;
    this.ended = true;
    try {
      await this.catchingUp.catch((cause: unknown) => {
        throw besideError(this.target, cause);
      });
      await this.flush.settle();
      this.written = await syncAndClose(handle);
      this.keptSpare = await renameKeepingSpare(sparePathFor(this.target), this.target);
    } catch (cause) {
      await handle.close().catch(() => undefined);
      await rm(sparePathFor(this.target), { force: true });
      if (cause instanceof TelemetryError) throw cause;
      const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
      throw new TelemetryError("io_error", `cannot replace ${this.target} (${code})`, { cause });
    }
  }

  /**
   * Discards what was written: the spare, now neither file, is removed. After a commit the spare
   * is the file this one replaced, which the state still names until the run saves its own: a
   * run failing after its commit (a full disk for its report) leaves it, so the next run puts it
   * back (removed, the next run was a full one that dropped every archived file's events).
   */
  async abort(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    const handle = this.handle;
    this.handle = undefined;
    // Its writes go through the handle: it is closed only once they have ended.
    await this.catchingUp.catch(() => undefined);
    await handle?.close().catch(() => undefined);
    await rm(sparePathFor(this.target), { force: true });
  }
}

/** The error of a spare that could not be brought up to date. */
function besideError(target: string, cause: unknown): TelemetryError {
  const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
  return new TelemetryError("io_error", `cannot write beside ${target} (${code})`, { cause });
}
