/**
 * The edits that make a JSON text read in loose mode canonical (see CanonicalJsonBytes): runs of
 * whitespace removed, and escapes `JSON.stringify` would not write replaced by what it writes
 * (`\u00e9` by the bytes of `é`). The edits are noted while the text is read; the text is
 * copied once, where it is wanted ({@link writeInto}), instead of into memory of its own as it
 * is read and from there again (that copy took a fifth of a Python line's time).
 */
export class TextEdits {
  private buf: Uint8Array = new Uint8Array(0);
  private start = 0;
  private end = 0;
  // Each edit as four numbers, in text order: the run `[from, to)` it replaces, and where its
  // replacement is in `inserts` and how long it is (0 for whitespace).
  private runs = new Int32Array(256);
  private runEnd = 0;
  private removed = 0;
  private inserts = new Uint8Array(256);
  private inserted = 0;
  private copy = new Uint8Array(1024);

  /** Starts over with the text starting at `start` in `buf`. */
  reset(buf: Uint8Array, start: number): void {
    this.buf = buf;
    this.start = start;
    this.runEnd = 0;
    this.removed = 0;
    this.inserted = 0;
  }

  /** Notes the run `[from, to)` removed, after any edit noted before. */
  add(from: number, to: number): void {
    // The common edit (Python writes two runs a field): kept to the least work.
    if (this.runEnd === this.runs.length) this.growRuns();
    const runs = this.runs;
    const r = this.runEnd;
    runs[r] = from;
    runs[r + 1] = to;
    runs[r + 3] = 0;
    this.runEnd = r + 4;
    this.removed += to - from;
  }

  /**
   * Notes the run `[from, to)` replaced by the UTF-8 bytes of the code point `code` (not a
   * surrogate), after any edit noted before.
   */
  replaceByCodePoint(from: number, to: number, code: number): void {
    if (code < 0x80) this.note(from, to, 1, code);
    else if (code < 0x800) this.note(from, to, 2, 0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000) {
      const b1 = 0x80 | ((code >> 6) & 0x3f);
      this.note(from, to, 3, 0xe0 | (code >> 12), b1, 0x80 | (code & 0x3f));
    } else {
      const b1 = 0x80 | ((code >> 12) & 0x3f);
      const b2 = 0x80 | ((code >> 6) & 0x3f);
      this.note(from, to, 4, 0xf0 | (code >> 18), b1, b2, 0x80 | (code & 0x3f));
    }
  }

  /** Notes the run `[from, to)` replaced by the ASCII text `text` (at most 6 characters). */
  replaceByText(from: number, to: number, text: string): void {
    const at = this.room(text.length);
    for (let k = 0; k < text.length; k++) this.inserts[at + k] = text.charCodeAt(k);
    this.push(from, to, at, text.length);
  }

  /** Ends the text at `end` (exclusive). */
  close(end: number): void {
    this.end = end;
  }

  /** The text's length once edited. */
  get length(): number {
    return this.end - this.start - this.removed + this.inserted;
  }

  /** Writes the edited text into `out` at `at` (`buf` unchanged); its end. */
  writeInto(out: Uint8Array, at: number): number {
    const buf = this.buf;
    const runs = this.runs;
    const inserts = this.inserts;
    let o = at;
    let from = this.start;
    for (let r = 0; r < this.runEnd; r += 4) {
      const to = runs[r] as number;
      for (let k = from; k < to; k++) out[o++] = buf[k] as number;
      const n = runs[r + 3] as number;
      if (n !== 0) {
        const insert = runs[r + 2] as number;
        for (let k = insert; k < insert + n; k++) out[o++] = inserts[k] as number;
      }
      from = runs[r + 1] as number;
    }
    for (let k = from; k < this.end; k++) out[o++] = buf[k] as number;
    return o;
  }

  /** The edited text, as the first {@link length} bytes of memory of its own. */
  text(): Uint8Array {
    if (this.copy.length < this.length) {
      this.copy = new Uint8Array(Math.max(this.length, 2 * this.copy.length));
    }
    this.writeInto(this.copy, 0);
    return this.copy;
  }

  private note(from: number, to: number, n: number, b0 = 0, b1 = 0, b2 = 0, b3 = 0): void {
    const at = this.room(n);
    const inserts = this.inserts;
    inserts[at] = b0;
    inserts[at + 1] = b1;
    inserts[at + 2] = b2;
    inserts[at + 3] = b3;
    this.push(from, to, at, n);
  }

  // Where `n` more bytes of replacements go (room for 6 is made, so `note` may write 4).
  private room(n: number): number {
    const at = this.inserted;
    if (at + Math.max(n, 6) > this.inserts.length) {
      const more = new Uint8Array(2 * this.inserts.length + 6);
      more.set(this.inserts.subarray(0, at));
      this.inserts = more;
    }
    return at;
  }

  private growRuns(): void {
    const more = new Int32Array(2 * this.runs.length);
    more.set(this.runs);
    this.runs = more;
  }

  private push(from: number, to: number, insert: number, n: number): void {
    if (this.runEnd === this.runs.length) this.growRuns();
    const runs = this.runs;
    runs[this.runEnd++] = from;
    runs[this.runEnd++] = to;
    runs[this.runEnd++] = insert;
    runs[this.runEnd++] = n;
    this.removed += to - from;
    this.inserted += n;
  }
}
