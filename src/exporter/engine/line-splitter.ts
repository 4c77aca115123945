import { isUtf8 } from "node:buffer";

/** Where a line's bytes are; valid only during the call that receives it. */
export interface RawLine {
  /** A plain Uint8Array view (not a Buffer): cheaper to cut and copy from. */
  buffer: Uint8Array;
  start: number;
  end: number;
}

/** Receives the lines a {@link LineSplitter} finds, numbered from 1. Buffers are only valid during the call. */
export interface LineSink {
  /**
   * A line of valid UTF-8 as bytes, `buffer[start, end)` without `\n`, offered before it is
   * decoded: returns true when it was handled, so `text` is not called for it. A line that lay
   * within one chunk may be longer than the limit: the sink checks.
   */
  utf8?(buffer: Uint8Array, start: number, end: number, lineNumber: number): boolean;
  /**
   * A line decoded from valid UTF-8, without `\n` (a trailing `\r` is kept); `raw` holds the
   * bytes it was decoded from (the same object each call, updated in place).
   */
  text(line: string, lineNumber: number, terminated: boolean, raw: RawLine): void;
  /** A line's raw bytes, when they are not all valid UTF-8. */
  bytes(line: Buffer, lineNumber: number, terminated: boolean): void;
  /** A line longer than the limit; its bytes were not kept. */
  tooLong(lineNumber: number, bytes: number, terminated: boolean): void;
}

/**
 * Splits a byte stream into lines at `\n`, chunk boundaries anywhere, holding at most
 * `maxLineBytes` (+1 for a `\r`) of a line that spans chunks. The complete lines of a chunk are
 * checked for UTF-8 as one region, and each line is offered as bytes before any is decoded,
 * which is what makes the common case fast.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private skipping = false;
  private lineNumber = 0;
  private readonly limit: number;
  private readonly raw: RawLine = { buffer: new Uint8Array(0), start: 0, end: 0 };

  constructor(
    maxLineBytes: number,
    private readonly sink: LineSink,
  ) {
    this.limit = maxLineBytes + 1;
  }

  /** Feeds the next chunk. */
  push(chunk: Buffer): void {
    let start = 0;
    if (this.pendingBytes > 0 || this.skipping) {
      const newline = chunk.indexOf(10);
      if (newline === -1) {
        this.hold(chunk);
        return;
      }
      this.finishPending(chunk.subarray(0, newline), true);
      start = newline + 1;
    }
    const last = chunk.lastIndexOf(10);
    if (last >= start) {
      this.region(chunk.subarray(start, last + 1));
      start = last + 1;
    }
    if (start < chunk.length) this.hold(chunk.subarray(start));
  }

  /** Signals the end of input: a last line without `\n` is passed on as unterminated. */
  end(): void {
    if (this.pendingBytes === 0 && !this.skipping) return;
    this.finishPending(undefined, false);
  }

  /** Lines seen so far. */
  get lines(): number {
    return this.lineNumber;
  }

  private finishPending(tail: Buffer | undefined, terminated: boolean): void {
    const total = this.pendingBytes + (tail?.length ?? 0);
    this.lineNumber++;
    if (this.skipping || total > this.limit) {
      this.sink.tooLong(this.lineNumber, total, terminated);
    } else {
      if (tail !== undefined) this.pending.push(tail);
      this.single(Buffer.concat(this.pending, total), terminated);
    }
    this.pending = [];
    this.pendingBytes = 0;
    this.skipping = false;
  }

  // Complete lines, each ending in "\n".
  private region(buf: Buffer): void {
    const utf8 = isUtf8(buf);
    const view = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
    let start = 0;
    while (start < buf.length) {
      const end = buf.indexOf(10, start);
      this.lineNumber++;
      if (utf8) this.utf8Line(buf, view, start, end, true);
      else {
        const line = buf.subarray(start, end);
        if (line.length > this.limit) this.sink.tooLong(this.lineNumber, line.length, true);
        else this.single(line, true);
      }
      start = end + 1;
    }
  }

  private single(line: Buffer, terminated: boolean): void {
    if (isUtf8(line)) {
      const view = new Uint8Array(line.buffer, line.byteOffset, line.length);
      this.utf8Line(line, view, 0, line.length, terminated);
    } else this.sink.bytes(line, this.lineNumber, terminated);
  }

  // `view`: the same bytes as `buf`, as a plain Uint8Array (cheaper to read and copy from).
  private utf8Line(
    buf: Buffer,
    view: Uint8Array,
    start: number,
    end: number,
    terminated: boolean,
  ): void {
    if (this.sink.utf8?.(view, start, end, this.lineNumber)) return;
    const raw = this.raw;
    raw.buffer = view;
    raw.start = start;
    raw.end = end;
    this.sink.text(buf.toString("utf8", start, end), this.lineNumber, terminated, raw);
  }

  private hold(rest: Buffer): void {
    this.pendingBytes += rest.length;
    if (this.skipping) return;
    if (this.pendingBytes > this.limit) {
      // Too long already: stop keeping its bytes, only count them.
      this.skipping = true;
      this.pending = [];
      return;
    }
    // Copy: the caller may reuse the chunk's memory once push() returns.
    this.pending.push(Buffer.from(rest));
  }
}
