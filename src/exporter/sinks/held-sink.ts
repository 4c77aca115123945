import { type FileHandle, open, rm } from "node:fs/promises";
import { join } from "node:path";
import { TelemetryError } from "../../errors/index.js";
import { writeOutput } from "./file-commit.js";
import { removeStaleTempFiles } from "./leftover-temps.js";
import { type OutputSink, tempPathFor, trackTemp } from "./output-sink.js";

// Large enough that copying the held bytes costs few writes, small enough for any stream.
const COPY_CHUNK = 1 << 20;

/**
 * A stream output (stdout, a FIFO, a device) held back until the run commits: its bytes go to a
 * temp file in `tempDir` (the system's, by default) and are copied to the stream only on commit,
 * so a run that stops (`strict` at an invalid line, a failure, a signal) writes nothing to it. A
 * stream cannot be replaced atomically; this is how it gets all or nothing. It costs the output's
 * size on disk in `tempDir` and the stream's bytes arrive only when the run ends.
 */
export class HeldSink implements OutputSink {
  readonly releasesWrites = true;

  private constructor(
    private readonly inner: OutputSink,
    private readonly tempDir: string,
    private readonly tempPath: string,
    private handle: FileHandle | undefined,
  ) {}

  /** Holds what is written for `inner` in a new temp file of `tempDir`. */
  static async open(inner: OutputSink, tempDir: string): Promise<HeldSink> {
    const name = join(tempDir, "telemetry-export");
    // What killed runs (SIGKILL) held there, once stale, as beside a file output.
    await removeStaleTempFiles(name);
    const tempPath = tempPathFor(name);
    // Registered first, as every temp file is: an interrupt must find it (see output-sink.ts).
    trackTemp(tempPath, true);
    try {
      // Only this user may read what is held: the system's temp directory is shared.
      return new HeldSink(inner, tempDir, tempPath, await open(tempPath, "wx+", 0o600));
    } catch (cause) {
      trackTemp(tempPath, false);
      await inner.abort().catch(() => undefined);
      const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
      throw new TelemetryError("io_error", `cannot hold the output in ${tempDir} (${code})`, {
        cause,
        path: ["tempDir"],
      });
    }
  }

  async write(data: string | Uint8Array): Promise<void> {
    try {
      await writeOutput(this.handle, this.tempPath, data);
    } catch (cause) {
      // Named for what it is: the held copy, in the directory that could not hold it.
      const code = ((cause as Error).cause as NodeJS.ErrnoException | undefined)?.code;
      throw new TelemetryError(
        "io_error",
        `cannot hold the output in ${this.tempDir} (${code ?? String(cause)}): a strict run holds a stream output there until it ends`,
        { cause, path: ["tempDir"] },
      );
    }
  }

  /** Copies what was held to the stream, then commits it. */
  async commit(): Promise<void> {
    const handle = this.handle;
    if (handle === undefined) return;
    this.handle = undefined;
    try {
      for (let at = 0; ; ) {
        // A fresh buffer each time: a stream may still hold the last one when write() resolves.
        const buffer = Buffer.allocUnsafe(COPY_CHUNK);
        const { bytesRead } = await handle.read(buffer, 0, COPY_CHUNK, at);
        if (bytesRead === 0) break;
        await this.inner.write(buffer.subarray(0, bytesRead));
        at += bytesRead;
      }
      await this.inner.commit();
    } finally {
      await this.discard(handle);
    }
  }

  async abort(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await this.discard(handle);
    await this.inner.abort();
  }

  private async discard(handle: FileHandle | undefined): Promise<void> {
    await handle?.close().catch(() => undefined);
    await rm(this.tempPath, { force: true });
    trackTemp(this.tempPath, false);
  }
}
