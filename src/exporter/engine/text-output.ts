import { returnStage, STAGE_BYTES, takeStage } from "./reader-memory.js";
import { segmentBuffer, sharedBuffer } from "./segment-memory.js";

/** A plain Uint8Array over a Buffer's bytes (its subarray() makes no Buffer). */
export function plainView(bytes: Buffer): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A line that writes its canonical text itself (the loose scanner's, composing `"text"`). */
export interface ComposedLine {
  /** At most how many bytes {@link writeLine} writes. */
  lineBytes(): number;
  /** Writes the text into `out` at `at` (`micros`: timestamps cut to microseconds); its end. */
  writeLine(out: Uint8Array, at: number, micros: boolean): number;
}

// V8 copies into shared memory a byte at a time unless source and target are alike modulo the
// word size (relaxed_memmove): a line copied into it took 2.5x as long as into a plain buffer.
// Lines are gathered in plain memory (a stage of reader-memory.ts: a line read into the same
// memory is copied there by one copyWithin, which took 0.93 of the JSON export's time against a
// set() of a subarray, BENCHMARKS.md stop 39) and copied over in blocks that keep the target's
// alignment.
const WORD = 8;

/**
 * A segment's events as UTF-8 output text (JSON array items or JSON Lines), built in one
 * growing buffer: canonical lines are copied as the bytes they were read as, other events are
 * encoded once. Its memory is shared (see sharedBuffer): a reader thread passes it to the main
 * thread as it is, without detaching a buffer. Each JSON item follows a `,\n`, the first too: a
 * segment's text goes on an array in one write, and the array's first segment starts with `[`
 * in place of its `,`.
 */
export class TextOutput {
  private buffer: Buffer;
  private view: Uint8Array;
  /** Bytes in `buffer`. */
  private used = 0;
  /** Bytes waiting for `buffer`: `stage[lead, staged)`, bound for `buffer[used, ...)`. */
  private readonly stage: Uint8Array;
  // The whole memory the stage is in, and where the stage starts in it (for copyWithin).
  private readonly memory: Uint8Array;
  private readonly stageAt: number;
  private lead = 0;
  private staged = 0;

  /**
   * `expectedBytes`: about what the segment read, so the buffer rarely has to grow. `spare`: the
   * memory of an earlier segment's text, already written, used when it is large enough.
   */
  constructor(
    private readonly format: "json" | "jsonl",
    expectedBytes: number,
    spare?: ArrayBufferLike,
  ) {
    const bytes = expectedBytes + (expectedBytes >> 6);
    this.buffer = segmentBuffer(bytes, spare, true);
    this.view = plainView(this.buffer);
    // A small segment (a tiny file) needs no more: a line that does not fit goes straight in.
    this.stage = takeStage(Math.min(STAGE_BYTES, Math.max(4096, bytes) + WORD));
    this.memory = new Uint8Array(this.stage.buffer);
    this.stageAt = this.stage.byteOffset;
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.buffer.length) return;
    const next = sharedBuffer(Math.max(this.buffer.length * 2, this.used + bytes));
    this.buffer.copy(next, 0, 0, this.used);
    this.buffer = next;
    this.view = plainView(next);
  }

  /** Copies the staged bytes into `buffer`; the stage is then empty. */
  private flush(): void {
    const bytes = this.staged - this.lead;
    if (bytes > 0) {
      this.reserve(bytes);
      this.view.set(this.stage.subarray(this.lead, this.staged), this.used);
      this.used += bytes;
    }
    this.emptyStage();
  }

  /** After `used` moved: the stage starts where `buffer` goes on, alike modulo the word size. */
  private emptyStage(): void {
    this.lead = this.used & (WORD - 1);
    this.staged = this.lead;
  }

  /** True when the stage has room for `bytes` more (after a flush if need be). */
  private room(bytes: number): boolean {
    if (this.staged + bytes <= this.stage.length) return true;
    this.flush();
    return this.staged + bytes <= this.stage.length;
  }

  private before(): void {
    if (this.format === "json") {
      this.room(2);
      this.stage[this.staged++] = 0x2c; // ,
      this.stage[this.staged++] = 0x0a; // \n
    }
  }

  private after(): void {
    if (this.format === "jsonl") {
      this.room(1);
      this.stage[this.staged++] = 0x0a;
    }
  }

  /** Copies `bytes[start, end)` to the output (a plain Uint8Array, for speed). */
  private copy(bytes: Uint8Array, start: number, end: number): void {
    // Uint8Array#set of a plain view is the cheapest copy of a few hundred bytes (Buffer#copy
    // and Buffer#subarray add checks and a Buffer object per call).
    if (this.room(end - start)) {
      if (bytes.buffer === this.memory.buffer) {
        const offset = bytes.byteOffset;
        this.memory.copyWithin(this.stageAt + this.staged, offset + start, offset + end);
      } else this.stage.set(bytes.subarray(start, end), this.staged);
      this.staged += end - start;
    } else {
      this.reserve(end - start);
      this.view.set(bytes.subarray(start, end), this.used);
      this.used += end - start;
      this.emptyStage();
    }
  }

  /** Adds an event whose canonical text is `bytes[start, end)` (a plain Uint8Array, for speed). */
  addBytes(bytes: Uint8Array, start: number, end: number): void {
    this.before();
    this.copy(bytes, start, end);
    this.after();
  }

  /**
   * Adds the canonical line `bytes[start, end)` without `bytes[cutStart, cutEnd)`: nanosecond
   * digits of its timestamp that the JSON export leaves out (see json-timestamps.ts).
   */
  addBytesCut(bytes: Uint8Array, start: number, end: number, cutStart: number, cutEnd: number) {
    this.before();
    this.copy(bytes, start, cutStart);
    this.copy(bytes, cutEnd, end);
    this.after();
  }

  /** Adds an event whose canonical text `line` writes straight into this output's memory. */
  addLine(line: ComposedLine): void {
    this.before();
    const bytes = line.lineBytes();
    if (this.room(bytes)) {
      this.staged = line.writeLine(this.stage, this.staged, this.microseconds);
    } else {
      this.reserve(bytes);
      this.used = line.writeLine(this.view, this.used, this.microseconds);
      this.emptyStage();
    }
    this.after();
  }

  /** True when timestamps are written to the microsecond at most (the JSON export). */
  get microseconds(): boolean {
    return this.format === "json";
  }

  /** Adds an event given as its canonical text. */
  addText(text: string): void {
    this.before();
    this.flush();
    this.reserve(text.length * 3);
    this.used += this.buffer.write(text, this.used);
    this.emptyStage();
    this.after();
  }

  /** The bytes written (a view over this output's own memory); the output takes no more. */
  done(): Uint8Array {
    this.flush();
    returnStage(this.stage);
    return new Uint8Array(this.buffer.buffer, this.buffer.byteOffset, this.used);
  }
}
