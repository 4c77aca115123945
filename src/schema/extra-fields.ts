import type { CanonicalJsonBytes } from "./canonical-json-bytes.js";
import { holdsKey } from "./key-list.js";

/** At most how many other top-level fields a scanned line has (more go to the parser). */
export const MAX_EXTRA_FIELDS = 8;

/**
 * The top-level fields of a scanned line other than the five core ones, as the JSON text of
 * their object (`{"host":"web-1","pid":7}`), in line order and without whitespace: what the
 * exporter writes after the core fields, and in Parquet's `extra` column. Written as the line is
 * read, from each key's bytes and its value's (see CanonicalJsonBytes.edits).
 */
export class ExtraFields {
  private bytes = new Uint8Array(256);
  /** Bytes of the object's text; 0 when the line has no other field. */
  length = 0;
  /** How many fields. */
  count = 0;
  private readonly keyStarts = new Int32Array(MAX_EXTRA_FIELDS);
  private readonly keyLengths = new Int32Array(MAX_EXTRA_FIELDS);

  /** `write`: keep the values too (outputs), not only the keys (counting). */
  constructor(private readonly write: boolean) {}

  /** The object's text: the first {@link length} bytes. */
  get text(): Uint8Array {
    return this.bytes;
  }

  reset(): void {
    this.count = 0;
    this.length = 0;
  }

  /**
   * Adds the key `keys[ks, ke)` (quotes included; no escapes) with the value `buf[vs, ve)` that
   * `json` just read; false when the key repeats one before it (JSON.parse keeps the last value,
   * in the first one's place: the parser's business) or there are too many.
   */
  add(
    keys: Uint8Array,
    ks: number,
    ke: number,
    buf: Uint8Array,
    vs: number,
    ve: number,
    json: CanonicalJsonBytes,
  ): boolean {
    const n = this.count;
    if (
      n === MAX_EXTRA_FIELDS ||
      holdsKey(this.bytes, this.keyStarts, this.keyLengths, 0, n, keys, ks, ke - ks)
    )
      return false;
    this.count = n + 1;
    const valueBytes = !this.write ? 0 : json.edited ? json.edits.length : ve - vs;
    // `{` or `,`, the key, `:`, the value, and `}`.
    let o = n === 0 ? 0 : this.length - 1;
    const need = o + 1 + (ke - ks) + 1 + valueBytes + 1;
    if (need > this.bytes.length) this.grow(need);
    const out = this.bytes;
    out[o++] = n === 0 ? 0x7b : 0x2c;
    this.keyStarts[n] = o;
    this.keyLengths[n] = ke - ks;
    for (let k = ks; k < ke; k++) out[o++] = keys[k] as number;
    // Counting keeps the keys alone, to find repeats.
    if (this.write) {
      out[o++] = 0x3a;
      if (json.edited) o = json.edits.writeInto(out, o);
      else for (let k = vs; k < ve; k++) out[o++] = buf[k] as number;
    }
    out[o++] = 0x7d;
    this.length = o;
    return true;
  }

  private grow(need: number): void {
    const next = new Uint8Array(Math.max(need, 2 * this.bytes.length));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }
}
