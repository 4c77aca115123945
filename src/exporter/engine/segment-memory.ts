/** Sizes of segment buffers are multiples of this. */
const GRANULE = 64 * 1024;

/**
 * Memory for one segment's output of about `bytes` bytes: `spare` (an earlier segment's, already
 * written) when it is large enough, else a fresh buffer. Sizes are rounded up to a multiple of
 * 64 KiB, so the memory of one segment fits the next: segments are cut at line ends, a few
 * bytes apart in size, and a spare a few bytes short was dropped for a fresh buffer.
 */
export function segmentBuffer(bytes: number, spare?: ArrayBuffer): Buffer {
  const size = Math.ceil(Math.max(1, bytes) / GRANULE) * GRANULE;
  return spare !== undefined && spare.byteLength >= size
    ? Buffer.from(spare)
    : Buffer.allocUnsafeSlow(size);
}
