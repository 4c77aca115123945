import type { ResultConsumer } from "../engine/fan-out.js";
import type { SegmentResult } from "../engine/segment.js";
import { JSON_ARRAY } from "./event-writer.js";
import type { OutputSink } from "./output-sink.js";

/** Where the events of complete lines end in the written JSON array. */
export interface CommittedPrefix {
  readonly bytes: number;
  readonly events: number;
}

/**
 * Writes the JSON array of an incremental ETL: it continues an array whose first
 * `prefix.bytes` bytes (`prefix.events` events, no closing bracket) are already in the sink, and
 * holds back the events of lines still being written (tails) until the end, so that the array up
 * to {@link committed} only ever holds events of complete lines, ready to be continued next time.
 */
export class ResumableJsonWriter implements ResultConsumer {
  readonly want = { text: "json" as const };
  private bytes: number;
  private events: number;
  private readonly tails: { text: Uint8Array; events: number }[] = [];
  committed: CommittedPrefix | undefined;

  /** Events in the array: the committed ones, then the held-back ones once finished. */
  get written(): number {
    return this.events;
  }

  constructor(
    private readonly sink: OutputSink,
    prefix: CommittedPrefix,
  ) {
    this.bytes = prefix.bytes;
    this.events = prefix.events;
  }

  private async write(text: string | Uint8Array): Promise<void> {
    await this.sink.write(text);
    this.bytes += typeof text === "string" ? Buffer.byteLength(text) : text.length;
  }

  private async append(text: Uint8Array, events: number): Promise<void> {
    for (const part of JSON_ARRAY.items(text, this.events)) await this.write(part);
    this.events += events;
  }

  async accept(result: SegmentResult): Promise<void> {
    if (result.events === 0 || result.text === undefined) return;
    if (result.tail === true) {
      // One line per file at most (bounded by --max-line-bytes).
      this.tails.push({ text: result.text, events: result.events });
      return;
    }
    await this.append(result.text, result.events);
    if (this.sink.releasesWrites) result.releaseText?.();
  }

  /** Writes the held-back events and the closing bracket, and commits; returns the prefix. */
  async finish(): Promise<CommittedPrefix> {
    const committed = { bytes: this.bytes, events: this.events };
    this.committed = committed;
    for (const tail of this.tails) await this.append(tail.text, tail.events);
    await this.write(JSON_ARRAY.close(this.events));
    await this.sink.commit();
    return committed;
  }

  abort(): Promise<void> {
    return this.sink.abort();
  }
}
