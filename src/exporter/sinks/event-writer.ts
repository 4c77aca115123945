import type { SegmentResult, Want } from "../engine/segment.js";
import type { OutputSink } from "./output-sink.js";

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

/**
 * The framing of a JSON array written a segment at a time, given how many items are already in
 * it: what to write for a segment's items (each after a `,\n`, see TextOutput: the array's first
 * has `[` in place of its `,`), and what closes the array.
 */
export const JSON_ARRAY = {
  items: (text: Uint8Array, written: number): readonly (string | Uint8Array)[] =>
    written === 0 ? ["[", text.subarray(1)] : [text],
  close: (written: number): string => (written === 0 ? "[]\n" : "\n]\n"),
} as const;

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
    if (this.format === "jsonl") await this.sink.write(result.text);
    else for (const part of JSON_ARRAY.items(result.text, this.count)) await this.sink.write(part);
    if (this.sink.releasesWrites) result.releaseText?.();
    this.count += result.events;
  }

  async finish(): Promise<void> {
    const closing = this.format === "jsonl" ? "" : JSON_ARRAY.close(this.count);
    if (closing !== "") await this.sink.write(closing);
    await this.sink.commit();
  }

  abort(): Promise<void> {
    return this.sink.abort();
  }
}
