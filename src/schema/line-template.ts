/** The values of a line a template reads, in the order the line has them (see LineTemplate). */
export const TEMPLATE_SLOTS = 4;
/** What a template slot holds: the values that change from line to line. */
export const SLOT_CHANNEL = 0;
export const SLOT_EVENT = 1;
export const SLOT_TIMESTAMP = 2;
export const SLOT_PAYLOAD = 3;

/**
 * The layout of a line that was read field by field: its bytes outside the channel, the event
 * name, the timestamp and the payload (the braces, keys, separators and whitespace, and the
 * schema version), and the order of those four values. A producer writes every line alike, so
 * the next line is first matched against the layout of the last: the bytes between the values
 * compared four at a time, only the values read. Reading a Python line's five keys one by one
 * took about 200 ns, a third of counting it.
 *
 * Literal k is `literals[starts[k], starts[k + 1])`; value k of the line follows literal k, and
 * the last literal ends the line.
 */
export class LineTemplate {
  private literals = new Uint8Array(256);
  private view = new DataView(this.literals.buffer);
  private readonly starts = new Int32Array(TEMPLATE_SLOTS + 2);
  /** The slot kind (SLOT_*) of each value, in line order. */
  readonly order = new Int8Array(TEMPLATE_SLOTS);
  /** Whether a layout was learned. */
  known = false;

  /**
   * Learns the layout of `buf[start, end)`, whose values (kinds `kinds`, in line order) are
   * `buf[valueStarts[k], valueEnds[k])`.
   */
  learn(
    buf: Uint8Array,
    start: number,
    end: number,
    kinds: ArrayLike<number>,
    valueStarts: ArrayLike<number>,
    valueEnds: ArrayLike<number>,
  ): void {
    let size = end - start;
    for (let k = 0; k < TEMPLATE_SLOTS; k++)
      size -= (valueEnds[k] as number) - (valueStarts[k] as number);
    if (this.literals.length < size) {
      this.literals = new Uint8Array(size * 2);
      this.view = new DataView(this.literals.buffer);
    }
    let o = 0;
    let from = start;
    for (let k = 0; k <= TEMPLATE_SLOTS; k++) {
      const to = k < TEMPLATE_SLOTS ? (valueStarts[k] as number) : end;
      this.starts[k] = o;
      for (let i = from; i < to; i++) this.literals[o++] = buf[i] as number;
      if (k < TEMPLATE_SLOTS) {
        this.order[k] = kinds[k] as number;
        from = valueEnds[k] as number;
      }
    }
    this.starts[TEMPLATE_SLOTS + 1] = o;
    this.known = true;
  }

  /**
   * Where literal `k` ends when it is found at `at` (`view` being a DataView of `buf`), within
   * `end`; -1 when the bytes there differ.
   */
  literalEnd(k: number, buf: Uint8Array, view: DataView, at: number, end: number): number {
    const from = this.starts[k] as number;
    const length = (this.starts[k + 1] as number) - from;
    if (at + length > end) return -1;
    const lit = this.view;
    let i = 0;
    for (; i + 4 <= length; i += 4) {
      if (view.getUint32(at + i, true) !== lit.getUint32(from + i, true)) return -1;
    }
    for (; i < length; i++) if (buf[at + i] !== this.literals[from + i]) return -1;
    return at + length;
  }
}
