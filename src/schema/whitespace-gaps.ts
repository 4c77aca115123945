/**
 * The whitespace runs found in a JSON text read in loose mode (see CanonicalJsonBytes), and the
 * text without them. The runs are noted while the text is read; the text is copied once, where
 * it is wanted ({@link writeInto}), instead of into memory of its own as it is read and from
 * there again (that copy took a fifth of a Python line's time).
 */
export class WhitespaceGaps {
  private buf: Uint8Array = new Uint8Array(0);
  private start = 0;
  private end = 0;
  // [start, end) of each run, in order.
  private runs = new Int32Array(128);
  private runEnd = 0;
  private removed = 0;
  private copy = new Uint8Array(1024);

  /** Starts over with the text starting at `start` in `buf`. */
  reset(buf: Uint8Array, start: number): void {
    this.buf = buf;
    this.start = start;
    this.runEnd = 0;
    this.removed = 0;
  }

  /** Notes the run `[from, to)`, after any noted before. */
  add(from: number, to: number): void {
    if (this.runEnd === this.runs.length) {
      const more = new Int32Array(2 * this.runs.length);
      more.set(this.runs);
      this.runs = more;
    }
    this.runs[this.runEnd++] = from;
    this.runs[this.runEnd++] = to;
    this.removed += to - from;
  }

  /** Ends the text at `end` (exclusive). */
  close(end: number): void {
    this.end = end;
  }

  /** The text's length without its whitespace. */
  get length(): number {
    return this.end - this.start - this.removed;
  }

  /** Writes the text without its whitespace into `out` at `at` (`buf` unchanged); its end. */
  writeInto(out: Uint8Array, at: number): number {
    const buf = this.buf;
    const runs = this.runs;
    let o = at;
    let from = this.start;
    for (let r = 0; r < this.runEnd; r += 2) {
      const to = runs[r] as number;
      for (let k = from; k < to; k++) out[o++] = buf[k] as number;
      from = runs[r + 1] as number;
    }
    for (let k = from; k < this.end; k++) out[o++] = buf[k] as number;
    return o;
  }

  /** The text without its whitespace, as the first {@link length} bytes of memory of its own. */
  text(): Uint8Array {
    if (this.copy.length < this.length) {
      this.copy = new Uint8Array(Math.max(this.length, 2 * this.copy.length));
    }
    this.writeInto(this.copy, 0);
    return this.copy;
  }
}
