/**
 * One encoding buffer shared by all the channel files of a tracker. Writes are synchronous, so
 * one buffer is never needed twice at once; sharing it bounds the memory kept after a flush by
 * the largest single flush, however many channels there are (one buffer per channel kept about
 * 1 GB for 1,000 channels that had each written one 1 MB event).
 */
export class ScratchBuffer {
  // Reused by every flush: a fresh buffer each time cost an allocation and the page faults of
  // touching new memory.
  private buffer = Buffer.alloc(0);

  /** Encodes `text` as UTF-8 into the shared buffer; valid until the next call. */
  encode(text: string): Buffer {
    if (text.length * 3 > this.buffer.length) {
      const bytes = Buffer.byteLength(text);
      if (bytes > this.buffer.length)
        this.buffer = Buffer.allocUnsafeSlow(Math.max(bytes, 64 * 1024));
    }
    return this.buffer.subarray(0, this.buffer.write(text, 0));
  }
}
