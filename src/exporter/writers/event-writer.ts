import type { SegmentResult, Want } from "../engine/segment.js";
import type { OutputSink } from "../output-sink.js";

/** An export format: consumes segment results in order, then finishes the file. */
export interface EventWriter {
  /** What the writer needs from each segment. */
  readonly want: Partial<Want>;
  accept(result: SegmentResult): Promise<void>;
  /** Writes what is buffered and the format's closing bytes, then commits the sink. */
  finish(): Promise<void>;
  /** Discards the output. */
  abort(): Promise<void>;
}

// Buffer about this many characters of text before one write: few syscalls, bounded memory.
const TEXT_BUFFER_CHARS = 256 * 1024;

/** The text formats: one JSON array, or JSON Lines, of canonical events. */
export class TextEventWriter implements EventWriter {
  readonly want: Partial<Want>;
  private buffer = "";
  private count = 0;

  constructor(
    private readonly sink: OutputSink,
    private readonly format: "json" | "jsonl",
  ) {
    this.want = { text: format };
  }

  async accept(result: SegmentResult): Promise<void> {
    if (result.events > 0) {
      if (this.format === "json") this.buffer += this.count === 0 ? "[\n" : ",\n";
      this.buffer += result.text ?? "";
      this.count += result.events;
    }
    if (this.buffer.length >= TEXT_BUFFER_CHARS) {
      const text = this.buffer;
      this.buffer = "";
      await this.sink.write(text);
    }
  }

  async finish(): Promise<void> {
    const closing = this.format === "jsonl" ? "" : this.count === 0 ? "[]\n" : "\n]\n";
    const text = this.buffer + closing;
    this.buffer = "";
    await this.sink.write(text);
    await this.sink.commit();
  }

  abort(): Promise<void> {
    this.buffer = "";
    return this.sink.abort();
  }
}
