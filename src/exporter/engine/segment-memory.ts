/** Sizes of segment buffers are multiples of this. */
const GRANULE = 64 * 1024;

/**
 * Shared memory (a SharedArrayBuffer) of `bytes` bytes, for what a reader thread hands to another
 * thread: its text or its payload column. Shared memory is passed as it is, never transferred:
 * V8 optimizes a thread's typed array accesses as if no buffer could be detached until the
 * thread first detaches one (transferring does), and then throws all that code away. A reader
 * that transferred its results compiled its scanners twice, and ran slower code after: sharing
 * took the Python JSON export to 0.90 of the time, the Parquet export to 0.96 (BENCHMARKS.md,
 * round seven). The memory is never from Buffer's pool, which holds other data.
 */
export function sharedBuffer(bytes: number): Buffer {
  return Buffer.from(new SharedArrayBuffer(bytes));
}

/**
 * Memory for one segment's output of about `bytes` bytes: `spare` (an earlier segment's, already
 * written) when it is large enough, else fresh shared memory ({@link sharedBuffer}). Sizes are
 * rounded up to a multiple of 64 KiB, so the memory of one segment fits the next: segments are
 * cut at line ends, a few bytes apart in size, and a spare a few bytes short was dropped for a
 * fresh buffer.
 */
export function segmentBuffer(bytes: number, spare?: ArrayBufferLike): Buffer {
  const size = Math.ceil(Math.max(1, bytes) / GRANULE) * GRANULE;
  return spare !== undefined && spare.byteLength >= size ? Buffer.from(spare) : sharedBuffer(size);
}

/** The buffers a postMessage must move (transfer): all but shared memory, which is passed as it is. */
export function movable(buffers: readonly ArrayBufferLike[]): ArrayBuffer[] {
  return buffers.filter((b): b is ArrayBuffer => !(b instanceof SharedArrayBuffer));
}
