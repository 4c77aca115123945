import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  writeSync,
} from "node:fs";
import { TelemetryError } from "../errors/index.js";

/** What a {@link ChannelFile} needs from its owner. */
export interface ChannelFileOptions {
  readonly path: string;
  readonly directory: string;
  readonly fileMode: number;
  /** Buffered characters that trigger a write; 0 writes every line at once. */
  readonly bufferBytes: number;
  /** Longest line accepted, in bytes, without its `\n`. */
  readonly maxEventBytes: number;
  readonly onWritten: (events: number) => void;
  readonly onDropped: (events: number, error: TelemetryError) => void;
}

// O_NOFOLLOW: a channel file that is a symlink is never written through.
const OPEN_FLAGS = constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;

/** Writes all of `data`, returning how many bytes reached the file before any failure. */
function writeAll(fd: number, data: Buffer): { written: number; error?: unknown } {
  let written = 0;
  try {
    while (written < data.length) written += writeSync(fd, data, written, data.length - written);
    return { written };
  } catch (error) {
    return { written, error };
  }
}

function countNewlines(data: Buffer, end: number): number {
  let count = 0;
  for (let i = data.indexOf(10); i !== -1 && i < end; i = data.indexOf(10, i + 1)) count++;
  return count;
}

/**
 * The destination pino writes one channel's lines to: a buffer of whole lines written to one
 * append-mode file handle, each buffer in a single `write(2)`, so lines from several processes
 * never interleave.
 */
export class ChannelFile {
  private fd: number | undefined;
  private ino = 0;
  private pending = "";
  private pendingEvents = 0;
  // A previous writer may have died mid-line; our first bytes must start a new line.
  private needsNewline = false;
  // One buffer, reused by every flush: a fresh one each time cost an allocation and the page
  // faults of touching new memory. As large as the longest flush so far (bufferBytes plus one
  // line, at most maxEventBytes).
  private scratch = Buffer.alloc(0);
  /** Set when the last line offered was over `maxEventBytes` and was not taken. */
  rejected = false;

  constructor(private readonly options: ChannelFileOptions) {}

  /** Called by pino with one complete line; buffers it, or refuses it when too large. */
  write(line: string): boolean {
    const max = this.options.maxEventBytes;
    // UTF-16 length bounds the UTF-8 size from both sides; only measure when it could be over.
    if (line.length * 3 > max + 1 && Buffer.byteLength(line) > max + 1) {
      this.rejected = true;
      return true;
    }
    this.rejected = false;
    this.pending += line;
    this.pendingEvents++;
    if (this.pending.length >= this.options.bufferBytes) this.flush();
    return true;
  }

  /** Events buffered and not yet written. */
  get pendingCount(): number {
    return this.pendingEvents;
  }

  /** Writes the buffer now, synchronously. I/O failures are reported, never thrown. */
  flush(): void {
    if (this.pendingEvents === 0) return;
    const events = this.pendingEvents;
    const text = this.pending;
    this.pending = "";
    this.pendingEvents = 0;
    try {
      this.ensureOpen();
    } catch (cause) {
      this.options.onDropped(events, toIoError(this.options.path, cause));
      return;
    }
    const prefix = this.needsNewline ? 1 : 0;
    const data = this.encode(prefix === 1 ? `\n${text}` : text);
    const result = writeAll(this.fd as number, data);
    if (result.error === undefined) {
      this.needsNewline = false;
      this.options.onWritten(events);
      return;
    }
    // A write can fail part-way (a full disk): the lines that made it are on disk, the rest is
    // dropped, and a torn line may be left, which reopening detects from the last byte.
    const complete = Math.max(countNewlines(data, result.written) - prefix, 0);
    this.closeFd();
    if (complete > 0) this.options.onWritten(complete);
    this.options.onDropped(events - complete, toIoError(this.options.path, result.error));
  }

  private encode(text: string): Buffer {
    if (text.length * 3 > this.scratch.length) {
      const bytes = Buffer.byteLength(text);
      if (bytes > this.scratch.length)
        this.scratch = Buffer.allocUnsafeSlow(Math.max(bytes, 64 * 1024));
    }
    return this.scratch.subarray(0, this.scratch.write(text, 0));
  }

  /** Flushes and releases the file handle. */
  close(): void {
    this.flush();
    this.closeFd();
  }

  private ensureOpen(): void {
    if (this.fd !== undefined) {
      // Reopen when the file was removed, rotated or replaced: writing to the old inode would
      // put acknowledged events where no reader will look.
      const current = lstatSync(this.options.path, { throwIfNoEntry: false });
      if (current !== undefined && current.ino === this.ino && current.isFile()) return;
      this.closeFd();
    }
    mkdirSync(this.options.directory, { recursive: true, mode: 0o755 });
    const fd = openSync(this.options.path, OPEN_FLAGS, this.options.fileMode);
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) {
        throw new TelemetryError("io_error", `${this.options.path} is not a regular file`);
      }
      this.ino = stat.ino;
      this.needsNewline = false;
      if (stat.size > 0) {
        const last = Buffer.alloc(1);
        readSync(fd, last, 0, 1, stat.size - 1);
        this.needsNewline = last[0] !== 0x0a;
      }
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    this.fd = fd;
  }

  private closeFd(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // Closing a handle whose file system went away can fail; there is nothing left to save.
    }
    this.fd = undefined;
  }
}

function toIoError(path: string, cause: unknown): TelemetryError {
  if (cause instanceof TelemetryError) return cause;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const why =
    code === "ELOOP"
      ? "is a symbolic link; refusing to write through it"
      : `could not be written (${code ?? String(cause)})`;
  return new TelemetryError("io_error", `${path} ${why}`, { cause });
}
