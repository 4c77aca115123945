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
  /** Files written, for writers that write a directory of them. */
  readonly files?: number;
}

/** The text formats: one JSON array, or JSON Lines, of canonical events. */
export class TextEventWriter implements EventWriter {
  readonly want: Partial<Want>;
  private count = 0;

  constructor(
    private readonly sink: OutputSink,
    private readonly format: "json" | "jsonl",
  ) {
    this.want = { text: format };
  }

  // Each segment's events arrive as UTF-8 bytes: written as they are, never re-encoded.
  async accept(result: SegmentResult): Promise<void> {
    if (result.events === 0 || result.text === undefined) return;
    if (this.format === "json") await this.sink.write(this.count === 0 ? "[\n" : ",\n");
    await this.sink.write(result.text);
    if (this.sink.releasesWrites) result.releaseText?.();
    this.count += result.events;
  }

  async finish(): Promise<void> {
    const closing = this.format === "jsonl" ? "" : this.count === 0 ? "[]\n" : "\n]\n";
    if (closing !== "") await this.sink.write(closing);
    await this.sink.commit();
  }

  abort(): Promise<void> {
    return this.sink.abort();
  }
}
