import { MAX_EXTRA_FIELDS } from "./extra-fields.js";

/** The core values of a line a template reads (see LineTemplate). */
const CORE_SLOTS = 4;
/** At most how many values a template reads: the core ones and the other fields'. */
export const TEMPLATE_SLOTS = CORE_SLOTS + MAX_EXTRA_FIELDS;
/** What a template slot holds: the values that change from line to line. */
export const SLOT_CHANNEL = 0;
export const SLOT_EVENT = 1;
export const SLOT_TIMESTAMP = 2;
export const SLOT_PAYLOAD = 3;
/** The value of a top-level field other than the core ones (its key is in the literal before). */
export const SLOT_EXTRA = 4;

/**
 * The layout of a line that was read field by field: its bytes outside the channel, the event
 * name, the timestamp, the payload and the values of other fields (the braces, keys, separators
 * and whitespace, and the schema version), and the order of those values. A producer writes every line alike, so
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
  /** How many values the layout has. */
  slots = 0;
  /** The slot kind (SLOT_*) of each value, in line order. */
  readonly order = new Int8Array(TEMPLATE_SLOTS);
  /** For a value of another field, where its key (quotes included) is in {@link keys}. */
  readonly keyStarts = new Int32Array(TEMPLATE_SLOTS);
  readonly keyEnds = new Int32Array(TEMPLATE_SLOTS);
  /** Whether a layout was learned. */
  known = false;

  /** The bytes the keys of other fields are in (see {@link keyStarts}). */
  get keys(): Uint8Array {
    return this.literals;
  }

  /**
   * Learns the layout of `buf[start, end)`, whose `count` values (kinds `kinds`, in line order)
   * are `buf[valueStarts[k], valueEnds[k])`; a value of another field has its key at
   * `buf[keyStarts[k], keyEnds[k])`, in the literal before it.
   */
  learn(
    buf: Uint8Array,
    start: number,
    end: number,
    count: number,
    kinds: ArrayLike<number>,
    valueStarts: ArrayLike<number>,
    valueEnds: ArrayLike<number>,
    keyStarts: ArrayLike<number>,
    keyEnds: ArrayLike<number>,
  ): void {
    let size = end - start;
    for (let k = 0; k < count; k++) size -= (valueEnds[k] as number) - (valueStarts[k] as number);
    if (this.literals.length < size) {
      this.literals = new Uint8Array(size * 2);
      this.view = new DataView(this.literals.buffer);
    }
    let o = 0;
    let from = start;
    for (let k = 0; k <= count; k++) {
      const to = k < count ? (valueStarts[k] as number) : end;
      this.starts[k] = o;
      for (let i = from; i < to; i++) this.literals[o++] = buf[i] as number;
      if (k < count) {
        const kind = kinds[k] as number;
        this.order[k] = kind;
        if (kind === SLOT_EXTRA) {
          // The key lies in the literal just copied, which ended at `o`.
          this.keyStarts[k] = o - (to - (keyStarts[k] as number));
          this.keyEnds[k] = o - (to - (keyEnds[k] as number));
        }
        from = valueEnds[k] as number;
      }
    }
    this.starts[count + 1] = o;
    this.slots = count;
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
