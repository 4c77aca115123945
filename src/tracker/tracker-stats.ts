/** Counters of a tracker's life so far. */
export interface TrackerStats {
  /** Events accepted by `record()`. */
  readonly recorded: number;
  /** Events written to their file. */
  readonly written: number;
  /** Accepted events lost to I/O failures. */
  readonly dropped: number;
  /** I/O failures seen. */
  readonly errors: number;
  /** Events buffered, not yet written. */
  readonly pending: number;
  /** Live files this tracker turned into segments (`rotate` option). */
  readonly rotated: number;
  /** Segments this tracker compressed. */
  readonly compressed: number;
  /** Segments this tracker deleted for retention. */
  readonly removed: number;
}
