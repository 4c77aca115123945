import type { Diagnostic } from "../model/diagnostics.js";
import type { OutputSink } from "./output-sink.js";

const BUFFER_CHARS = 256 * 1024;

/** Writes every diagnostic as one JSON line to a file, atomically, with bounded buffering. */
export class DiagnosticsFile {
  private buffer = "";

  constructor(private readonly sink: OutputSink) {}

  /** Discards the file. */
  abort(): Promise<void> {
    this.buffer = "";
    return this.sink.abort();
  }

  add(diagnostic: Diagnostic): void {
    this.buffer += `${JSON.stringify(diagnostic)}\n`;
  }

  async drain(): Promise<void> {
    if (this.buffer.length < BUFFER_CHARS) return;
    const text = this.buffer;
    this.buffer = "";
    await this.sink.write(text);
  }

  async finish(): Promise<void> {
    await this.sink.write(this.buffer);
    this.buffer = "";
    await this.sink.commit();
  }
}
