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
import type { HandlePool, PooledHandle } from "./handle-pool.js";
import type { Rotator } from "./rotator.js";
import type { ScratchBuffer } from "./scratch-buffer.js";

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
  /** Bounds the descriptors open at once, across the owner's channel files. */
  readonly handles: HandlePool;
  /** Encoding buffer shared with the owner's other channel files. */
  readonly scratch: ScratchBuffer;
  /** With the `rotate` option: turns the live file into a segment when due, before a write. */
  readonly rotator?: Rotator | undefined;
}

// O_NOFOLLOW: a channel file that is a symlink is never written through.
const OPEN_FLAGS = constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;

const NEWLINE = 0x0a;
const EMPTY = Buffer.alloc(0);

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
export class ChannelFile implements PooledHandle {
  private fd: number | undefined;
  private ino = 0;
  // The file's size when this writer last left it. Any other size means another process wrote
  // (or truncated) since, and may have died mid-line: only then is the last byte read.
  private expectedSize = -1;
  private pending = "";
  private pendingEvents = 0;
  private readonly lastByte = Buffer.alloc(1);
  /** Set when the last line offered was over `maxEventBytes` and was not taken. */
  rejected = false;
  /** Set when the last line offered was pino's stand-in for a payload it could not serialize. */
  unserializable = false;
  private fallingBack = false;

  constructor(private readonly options: ChannelFileOptions) {}

  /**
   * pino's fallback for a value JSON.stringify throws on (a RangeError: too deep for the stack
   * left at the call, or too long for a string). pino's own writes a depth-limited copy with its
   * keys sorted, or a stand-in string: another event than record() returns. This one makes pino
   * write its stand-in, which {@link write} then refuses.
   */
  readonly refuseUnserializable = (): never => {
    this.fallingBack = true;
    throw new Error("not serializable here");
  };

  /** Called by pino with one complete line; buffers it, or refuses it when too large. */
  write(line: string): boolean {
    // A payload is an object: a line that does not end `}}` holds pino's stand-in string, written
    // when even calling the fallback overflowed the stack.
    if (this.fallingBack || line.charCodeAt(line.length - 3) !== 0x7d) {
      this.fallingBack = false;
      this.unserializable = true;
      return true;
    }
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
    let size: number;
    let prefix: number;
    try {
      size = this.prepare();
      const rotator = this.options.rotator;
      // `rotate.size` is in bytes: UTF-8 bytes, not UTF-16 units (measured only when rotating).
      const bytes = rotator === undefined ? 0 : Buffer.byteLength(text, "utf8");
      if (rotator?.due(size, bytes) === true && rotator.rotate(this.ino, bytes)) {
        this.closeFd();
        size = this.prepare();
      }
      prefix = this.endsMidLine(size) ? 1 : 0;
    } catch (cause) {
      this.options.onDropped(events, toIoError(this.options.path, cause));
      return;
    }
    const data = this.options.scratch.encode(prefix === 1 ? `\n${text}` : text);
    const result = writeAll(this.fd as number, data);
    if (result.error === undefined) {
      this.expectedSize = size + data.length;
      this.options.onWritten(events);
      return;
    }
    // A write can fail part-way (a full disk): the lines that made it are on disk, the rest is
    // dropped, and a torn line may be left, which the next write detects from the last byte.
    // A line stopped just before its newline is whole on disk: the next write (this process's or
    // another's) starts with the newline it lacks, and readers take it as it is meanwhile. It was
    // written, not dropped: counted as dropped, it would be written twice by an app that records
    // again what was dropped.
    const whole = result.written > prefix && data[result.written] === 0x0a ? 1 : 0;
    const complete = Math.max(countNewlines(data, result.written) - prefix, 0) + whole;
    this.expectedSize = -1;
    this.closeFd();
    if (complete > 0) this.options.onWritten(complete);
    this.options.onDropped(events - complete, toIoError(this.options.path, result.error));
  }

  /** Flushes and releases the file handle. */
  close(): void {
    this.flush();
    this.closeFd();
  }

  /** Closes the descriptor to make room for another channel's; the next write reopens it. */
  releaseHandle(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // Closing a handle whose file system went away can fail; there is nothing left to save.
    }
    this.fd = undefined;
  }

  /** Opens the file if needed and returns its size. */
  private prepare(): number {
    if (this.fd !== undefined) {
      // Reopen when the file was removed, rotated or replaced: writing to the old inode would
      // put acknowledged events where no reader will look.
      const current = lstatSync(this.options.path, { throwIfNoEntry: false });
      if (current !== undefined && current.ino === this.ino && current.isFile()) {
        this.options.handles.use(this);
        return current.size;
      }
      this.closeFd();
    }
    mkdirSync(this.options.directory, { recursive: true, mode: 0o755 });
    const fd = this.open();
    let stat: ReturnType<typeof fstatSync>;
    try {
      stat = fstatSync(fd);
      if (!stat.isFile()) {
        throw new TelemetryError("io_error", `${this.options.path} is not a regular file`);
      }
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    // Another file under the same name (rotated, replaced): nothing is known about its end.
    if (stat.ino !== this.ino) this.expectedSize = -1;
    this.ino = stat.ino;
    this.fd = fd;
    this.options.handles.use(this);
    return stat.size;
  }

  private open(): number {
    try {
      return openSync(this.options.path, OPEN_FLAGS, this.options.fileMode);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "EMFILE" && code !== "ENFILE") throw error;
      // The process is out of descriptors: give ours back and try once more.
      this.options.handles.releaseAllExcept(this);
      return openSync(this.options.path, OPEN_FLAGS, this.options.fileMode);
    }
  }

  /**
   * True when the file does not end with "\n": a writer died mid-line, and our first bytes
   * must start a new line. The end may also be another live process's large write, half
   * landed: an empty write first waits for it (the kernel holds the file's lock for a whole
   * append, so ours lands after it anyway), and the last byte is read again at the new size.
   * A writer that starts between that read and our write can still cost one blank line, which
   * readers skip; never a glued event.
   */
  private endsMidLine(size: number): boolean {
    if (size === this.expectedSize || size === 0) return false;
    const fd = this.fd as number;
    if (this.readLastByte(fd, size) === NEWLINE) return false;
    writeSync(fd, EMPTY, 0, 0);
    const now = fstatSync(fd).size;
    return now === size || this.readLastByte(fd, now) !== NEWLINE;
  }

  private readLastByte(fd: number, size: number): number | undefined {
    if (size === 0) return NEWLINE;
    readSync(fd, this.lastByte, 0, 1, size - 1);
    return this.lastByte[0];
  }

  private closeFd(): void {
    this.releaseHandle();
    this.options.handles.forget(this);
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
