import { constants } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { TelemetryError } from "../../errors/index.js";
import type { OutputSink } from "./output-sink.js";
import { writeFully } from "./write-fully.js";

const READER_POLL_MS = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A blocking open of a FIFO without a reader holds a thread of libuv's pool, and exiting waits
// for that thread: Ctrl-C would do nothing. A non-blocking open fails with ENXIO until a reader
// exists, so it is retried on a timer; once it succeeds a reader is there and the blocking open
// (writes need a blocking descriptor, and Node cannot clear O_NONBLOCK) returns at once.
// No O_CREAT in either: if the device vanished, fail rather than leave a regular file there.
async function openWhenRead(path: string, flags: number): Promise<FileHandle> {
  for (;;) {
    let probe: FileHandle;
    try {
      probe = await open(path, flags | constants.O_NONBLOCK);
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== "ENXIO") throw cause;
      await sleep(READER_POLL_MS);
      continue;
    }
    try {
      return await open(path, flags);
    } finally {
      await probe.close();
    }
  }
}

function ioError(what: string, cause: unknown): TelemetryError {
  const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
  return new TelemetryError("io_error", `${what} (${code})`, { cause });
}

/**
 * A character device (`/dev/null`, a terminal) or a FIFO written in place, as a stream: opened
 * for writing only, never created, truncated or replaced. Not atomic: a reader sees bytes as
 * they are written, and an aborted run leaves what was already written. Opening a FIFO waits
 * for a reader, as any writer of a FIFO does, and a signal still ends the run while it waits.
 */
export class DeviceSink implements OutputSink {
  readonly releasesWrites = true;
  private constructor(
    private readonly path: string,
    private handle: FileHandle | undefined,
  ) {}

  /** `append`: a regular file reached through /dev or /proc, added to, never truncated. */
  static async open(path: string, append = false): Promise<DeviceSink> {
    try {
      const flags = constants.O_WRONLY | (append ? constants.O_APPEND : 0);
      return new DeviceSink(path, await openWhenRead(path, flags));
    } catch (cause) {
      throw ioError(`cannot open ${path} for writing`, cause);
    }
  }

  async write(data: string | Uint8Array): Promise<void> {
    const handle = this.handle;
    if (handle === undefined)
      throw new TelemetryError("io_error", `${this.path} is already closed`);
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    try {
      await writeFully(handle, bytes);
    } catch (cause) {
      throw ioError(`writing ${this.path} failed`, cause);
    }
  }

  async commit(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    try {
      await handle?.close();
    } catch (cause) {
      throw ioError(`closing ${this.path} failed`, cause);
    }
  }

  async abort(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
  }
}
