/** Receives what a {@link LineSplitter} finds. Buffers are only valid during the call. */
export interface LineSink {
  /** A line's bytes without `\n` (a trailing `\r` is kept); `terminated` is false for a last line without `\n`. */
  line(bytes: Buffer, lineNumber: number, terminated: boolean): void;
  /** A line longer than the limit; its bytes were not kept. */
  tooLong(lineNumber: number, bytes: number, terminated: boolean): void;
}

/**
 * Splits a byte stream into lines at `\n`, chunk boundaries anywhere, holding at most
 * `maxLineBytes` (+1 for a `\r`) of any one line in memory.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private skipping = false;
  private lineNumber = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly sink: LineSink,
  ) {}

  /** Feeds the next chunk. */
  push(chunk: Buffer): void {
    let start = 0;
    const limit = this.maxLineBytes + 1;
    while (start < chunk.length) {
      const end = chunk.indexOf(10, start);
      if (end === -1) {
        this.hold(chunk.subarray(start), limit);
        return;
      }
      const piece = chunk.subarray(start, end);
      this.lineNumber++;
      if (this.skipping || this.pendingBytes + piece.length > limit) {
        this.sink.tooLong(this.lineNumber, this.pendingBytes + piece.length, true);
      } else if (this.pendingBytes === 0) {
        this.sink.line(piece, this.lineNumber, true);
      } else {
        this.pending.push(piece);
        this.sink.line(
          Buffer.concat(this.pending, this.pendingBytes + piece.length),
          this.lineNumber,
          true,
        );
      }
      this.reset();
      start = end + 1;
    }
  }

  /** Signals the end of input: a last line without `\n` is passed on as unterminated. */
  end(): void {
    if (this.pendingBytes === 0 && !this.skipping) return;
    this.lineNumber++;
    if (this.skipping) this.sink.tooLong(this.lineNumber, this.pendingBytes, false);
    else this.sink.line(Buffer.concat(this.pending, this.pendingBytes), this.lineNumber, false);
    this.reset();
  }

  /** Lines seen so far. */
  get lines(): number {
    return this.lineNumber;
  }

  private hold(rest: Buffer, limit: number): void {
    this.pendingBytes += rest.length;
    if (this.skipping) return;
    if (this.pendingBytes > limit) {
      // Too long already: stop keeping its bytes, only count them.
      this.skipping = true;
      this.pending = [];
      return;
    }
    // Copy: the caller may reuse the chunk's memory once push() returns.
    this.pending.push(Buffer.from(rest));
  }

  private reset(): void {
    if (this.pending.length > 0) this.pending = [];
    this.pendingBytes = 0;
    this.skipping = false;
  }
}
