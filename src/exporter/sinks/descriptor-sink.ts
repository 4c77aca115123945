import { fstat, write } from "node:fs";
import { TelemetryError } from "../../errors/index.js";
import type { OutputSink } from "./output-sink.js";

function ioError(what: string, cause: unknown): TelemetryError {
  const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
  return new TelemetryError("io_error", `${what} (${code})`, { cause });
}

function writeOnce(fd: number, bytes: Uint8Array, from: number): Promise<number> {
  return new Promise((resolve, reject) => {
    write(fd, bytes, from, bytes.length - from, null, (error, written) =>
      error === null ? resolve(written) : reject(error),
    );
  });
}

/**
 * An open descriptor of this process (`/dev/stdout`, `/dev/fd/N`) written as a stream through
 * the open file description the shell made: its offset and its append mode are the shell's, so
 * `>> build.log` appends and a pipe is written in order. Never closed here, never replaced, not
 * atomic: an aborted run leaves what was already written.
 */
export class DescriptorSink implements OutputSink {
  readonly releasesWrites = true;
  private constructor(
    private readonly path: string,
    private readonly fd: number,
  ) {}

  static async open(path: string, fd: number): Promise<DescriptorSink> {
    await new Promise<void>((resolve, reject) =>
      fstat(fd, (error) => (error === null ? resolve() : reject(error))),
    ).catch((cause) => {
      throw ioError(`cannot write ${path}: descriptor ${fd} is not open`, cause);
    });
    return new DescriptorSink(path, fd);
  }

  async write(data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let done = 0;
    while (done < bytes.length) {
      try {
        done += await writeOnce(this.fd, bytes, done);
      } catch (cause) {
        // A descriptor the shell shares may be non-blocking: a full pipe is waited out.
        if ((cause as NodeJS.ErrnoException).code !== "EAGAIN") {
          throw ioError(`writing ${this.path} failed`, cause);
        }
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    }
  }

  async commit(): Promise<void> {}

  async abort(): Promise<void> {}
}
