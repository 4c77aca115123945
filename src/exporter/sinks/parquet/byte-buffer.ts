const GRANULE = 64 * 1024;

// A quarter more than `n`, in 64 KiB steps once that is past 64 KiB. Not below: a group of a
// few rows (a small row group size) is a few hundred bytes, and thousands of them a segment each
// took a zeroed 64 KiB (five times the peak memory, half again the time, at one row a group).
function roomFor(n: number): number {
  const room = Math.ceil(n * 1.25);
  return room <= GRANULE ? room : Math.ceil(room / GRANULE) * GRANULE;
}

/**
 * A growable byte buffer written front to back: pages, headers and footers are assembled here
 * and the buffer is kept for the next one, so encoding does not allocate per page or per row.
 */
export class ByteBuffer {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity = 1 << 16) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(need, this.bytes.length * 2));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  byte(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value;
  }

  uint32(value: number): void {
    this.reserve(4);
    const { bytes } = this;
    let at = this.length;
    bytes[at++] = value & 0xff;
    bytes[at++] = (value >>> 8) & 0xff;
    bytes[at++] = (value >>> 16) & 0xff;
    bytes[at++] = value >>> 24;
    this.length = at;
  }

  /** An unsigned LEB128 varint of a safe integer. */
  varint(value: number): void {
    this.reserve(10);
    let left = value;
    while (left >= 0x80) {
      this.bytes[this.length++] = (left % 0x80) | 0x80;
      left = Math.floor(left / 0x80);
    }
    this.bytes[this.length++] = left;
  }

  append(source: Uint8Array): void {
    this.reserve(source.length);
    this.bytes.set(source, this.length);
    this.length += source.length;
  }

  /** The bytes written, as a view valid until the next write. */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  /**
   * The bytes written, in memory of their own (which can be transferred); then empty. The
   * memory is one of `spares` when one is large enough (taken from the list), else fresh, with
   * room to spare so that it fits the next bytes of about that size when it comes back.
   */
  take(spares: ArrayBuffer[] = []): Uint8Array {
    const n = this.length;
    const k = spares.findIndex((spare) => spare.byteLength >= n);
    const memory = k >= 0 ? (spares.splice(k, 1)[0] as ArrayBuffer) : new ArrayBuffer(roomFor(n));
    const out = new Uint8Array(memory, 0, n);
    out.set(this.bytes.subarray(0, n));
    this.length = 0;
    return out;
  }
}
