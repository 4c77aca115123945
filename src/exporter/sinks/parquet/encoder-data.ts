// What both sides of the Parquet encoder agree on, apart from the encoder itself: the writers
// that only send it requests load no encoding code.

/**
 * Payload bytes in one row group at most. The encoder holds the rows of one group (plus the
 * segment it is cutting), and its output buffer grows with the group's compressed bytes, so this
 * (with the row count) bounds its memory whatever the size of the events.
 */
export const MAX_GROUP_BYTES = 16 * 1024 * 1024;

/** What the encoder is started with (in its worker thread, or in the main thread). */
export interface EncoderData {
  /** Written into each file's metadata. */
  readonly generator: string;
  /** Rows per row group of a single-file export. */
  readonly rowGroupSize: number;
}
