import type { ByteBuffer } from "./byte-buffer.js";

/** Thrift compact-protocol type codes (the ones Parquet's structures use). */
export const T = { TRUE: 1, FALSE: 2, I32: 5, I64: 6, BINARY: 8, LIST: 9, STRUCT: 12 } as const;

const zigzag = (n: number) => (n >= 0 ? n * 2 : -n * 2 - 1);
const encoder = new TextEncoder();

/**
 * Writes Thrift compact-protocol structures (Parquet's page headers and footer) field by field.
 * Fields of a struct must be written in increasing id order, each struct closed by `end()`.
 * Integers are JavaScript numbers: every one Parquet needs here (sizes, offsets, row counts)
 * is far below 2^53.
 */
export class ThriftWriter {
  private last = 0;
  private readonly outer: number[] = [];

  constructor(readonly out: ByteBuffer) {}

  private field(id: number, type: number): void {
    const delta = id - this.last;
    if (delta > 0 && delta <= 15) this.out.byte((delta << 4) | type);
    else {
      this.out.byte(type);
      this.out.varint(zigzag(id));
    }
    this.last = id;
  }

  i32(id: number, value: number): void {
    this.field(id, T.I32);
    this.out.varint(zigzag(value));
  }

  i64(id: number, value: number): void {
    this.field(id, T.I64);
    this.out.varint(zigzag(value));
  }

  bool(id: number, value: boolean): void {
    this.field(id, value ? T.TRUE : T.FALSE);
  }

  binary(id: number, value: Uint8Array): void {
    this.field(id, T.BINARY);
    this.out.varint(value.length);
    this.out.append(value);
  }

  string(id: number, value: string): void {
    this.binary(id, encoder.encode(value));
  }

  /** Opens a struct field; its fields follow, then `end()`. */
  struct(id: number): void {
    this.field(id, T.STRUCT);
    this.enter();
  }

  /** Opens a list field of `size` elements of `type`. */
  list(id: number, type: number, size: number): void {
    this.field(id, T.LIST);
    if (size < 15) this.out.byte((size << 4) | type);
    else {
      this.out.byte(0xf0 | type);
      this.out.varint(size);
    }
  }

  /** An i32 element of a list. */
  i32Element(value: number): void {
    this.out.varint(zigzag(value));
  }

  /** A binary (or string) element of a list. */
  binaryElement(value: Uint8Array | string): void {
    const bytes = typeof value === "string" ? encoder.encode(value) : value;
    this.out.varint(bytes.length);
    this.out.append(bytes);
  }

  /**
   * Opens a struct element of a list (or the top-level struct); its fields follow, then `end()`.
   * `after`: the struct's last field already written (a struct continued where `leave()` left it).
   */
  enter(after = 0): void {
    this.outer.push(this.last);
    this.last = after;
  }

  /** Leaves the innermost open struct without its stop byte: more of its fields come later. */
  leave(): void {
    this.last = this.outer.pop() ?? 0;
  }

  /** Closes the innermost open struct. */
  end(): void {
    this.out.byte(0);
    this.last = this.outer.pop() ?? 0;
  }
}
