import type { Diagnostic, DiagnosticCode } from "../model/diagnostics.js";
import type { PackedCounts } from "../model/event-counts.js";
import type { EventFilters } from "../model/filters.js";
import type { Segment } from "../plan/plan-segments.js";
import type { EventColumns } from "./event-columns.js";

/** Which results a consumer needs from each segment. */
export interface Want {
  /** Counts per channel, event and day. */
  readonly counts: boolean;
  /** The events as canonical JSON text: each after ",\n" (json) or ending in "\n" (jsonl). */
  readonly text: "json" | "jsonl" | undefined;
  /** The events as Parquet columns. */
  readonly columns: boolean;
  /** Every diagnostic in detail (else the first few, and counts). */
  readonly allDiagnostics: boolean;
}

/** One unit of work, as sent to a worker thread. */
export interface SegmentTask {
  readonly segment: Segment;
  /** A descriptor of the segment's file, opened once for all its segments (else its path). */
  readonly fd?: number;
  readonly want: Want;
  readonly maxLineBytes: number;
  readonly filters: EventFilters | undefined;
}

/** What the pool sends a worker: a task, and maybe memory to reuse for its text or columns. */
export interface SegmentRequest {
  readonly task: SegmentTask;
  readonly spare?: ArrayBufferLike;
}

/** What a segment held. Diagnostic line numbers count from the segment's first line. */
export interface SegmentResult {
  readonly index: number;
  readonly fileIndex: number;
  /** The segment's first byte in its file. */
  readonly start: number;
  /** Bytes of the file really read (fewer than planned when it was cut short meanwhile). */
  readonly bytes: number;
  readonly lines: number;
  readonly valid: number;
  readonly invalid: number;
  readonly blank: number;
  readonly filtered: number;
  readonly warnings: number;
  readonly first: string | null;
  readonly last: string | null;
  readonly diagnostics: Diagnostic[];
  /** Every diagnostic counted, including those not kept in detail. */
  readonly byCode: Partial<Record<DiagnosticCode, number>>;
  readonly counts?: PackedCounts;
  readonly versions?: [string, number][];
  /** The events as UTF-8 JSON text (see {@link Want.text}), encoded in the worker. */
  readonly text?: Uint8Array;
  /**
   * Hands `text`'s memory back for the next segment's text, once it is written and no longer
   * needed (set by the reader; the memory is then reused, not left to the collector).
   */
  readonly releaseText?: () => void;
  /**
   * Takes back memory that held this run's output and is no longer needed (the payload buffer
   * of a Parquet block once encoded), for a later segment (set by the reader).
   */
  readonly recycle?: (memory: ArrayBufferLike) => void;
  readonly events: number;
  readonly columns?: EventColumns;
  /**
   * Set by the scan on a result holding a file's unfinished last line (bytes after its last
   * "\n", only in runs that continue from a saved state): consumers hold it back.
   */
  readonly tail?: boolean;
  /** Set when the file could not be read to the end of this segment. */
  readonly error?: { readonly code: "unreadable_file" | "invalid_gzip"; readonly message: string };
}
