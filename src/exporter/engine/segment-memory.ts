/** Sizes of segment buffers are multiples of this. */
const GRANULE = 64 * 1024;

/**
 * Shared memory (a SharedArrayBuffer) of `bytes` bytes, for the text a reader thread hands to
 * the main thread. Shared memory is passed as it is, never transferred: V8 optimizes a thread's
 * typed array accesses as if no buffer could be detached until the thread first detaches one
 * (transferring does), then throws all that code away, and what it optimizes after is slower.
 * A JSON export's readers now never detach a buffer: the Python JSON export took 0.93 of the
 * time (BENCHMARKS.md, round seven). A Parquet export's columns are still moved: the encoder
 * thread holds the memory it is passed until a full collection, which it runs late, so shared
 * payloads kept memory growing with the input (peak RSS 1.22x at 4x the input).
 */
export function sharedBuffer(bytes: number): Buffer {
  return Buffer.from(new SharedArrayBuffer(bytes));
}

/**
 * Memory for one segment's output of about `bytes` bytes: `spare` (an earlier segment's, already
 * written) when it is large enough, else a fresh buffer, shared ({@link sharedBuffer}) or of its
 * own (to be moved; never from Buffer's pool, which holds other data). Sizes are rounded up to a
 * multiple of 64 KiB, so the memory of one segment fits the next: segments are cut at line ends,
 * a few bytes apart in size, and a spare a few bytes short was dropped for a fresh buffer.
 */
export function segmentBuffer(
  bytes: number,
  spare: ArrayBufferLike | undefined,
  shared: boolean,
): Buffer {
  const size = Math.ceil(Math.max(1, bytes) / GRANULE) * GRANULE;
  if (spare !== undefined && spare.byteLength >= size) return Buffer.from(spare);
  return shared ? sharedBuffer(size) : Buffer.allocUnsafeSlow(size);
}

/** The buffers a postMessage must move (transfer): all but shared memory, which is passed as it is. */
export function movable(buffers: readonly ArrayBufferLike[]): ArrayBuffer[] {
  return buffers.filter((b): b is ArrayBuffer => !(b instanceof SharedArrayBuffer));
}
