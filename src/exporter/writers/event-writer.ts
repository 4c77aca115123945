import type { TelemetryEvent } from "../../schema/index.js";
import type { OutputSink } from "../output-sink.js";
import type { EventVisitor } from "../scan.js";

/** An export format: takes events as a visitor, then finishes the file. */
export interface EventWriter extends EventVisitor {
  /** Writes what is buffered and the format's closing bytes, then commits the sink. */
  finish(): Promise<void>;
  /** Discards the output. */
  abort(): Promise<void>;
}

// Buffer about this many characters of text before one write: few syscalls, bounded memory.
const TEXT_BUFFER_CHARS = 256 * 1024;

/** Shared buffering for the text formats (JSON array, JSON Lines). */
export abstract class TextEventWriter implements EventWriter {
  protected buffer = "";
  protected count = 0;

  constructor(protected readonly sink: OutputSink) {}

  abstract event(event: TelemetryEvent): void;
  protected abstract closing(): string;

  async drain(): Promise<void> {
    if (this.buffer.length < TEXT_BUFFER_CHARS) return;
    const text = this.buffer;
    this.buffer = "";
    await this.sink.write(text);
  }

  async finish(): Promise<void> {
    const text = this.buffer + this.closing();
    this.buffer = "";
    await this.sink.write(text);
    await this.sink.commit();
  }

  abort(): Promise<void> {
    this.buffer = "";
    return this.sink.abort();
  }
}
