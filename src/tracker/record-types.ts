// The types of record()'s arguments, per channel and event of a catalogue.
import type { z } from "zod";
import type { Catalog } from "./options.js";
import type { TimestampInput } from "./resolve-timestamp.js";

/** Per-call options of `record()`. */
export interface RecordOptions {
  /** When the event happened. Default: the tracker's clock (now). */
  readonly timestamp?: TimestampInput;
}

export type ChannelOf<C> = C extends Catalog ? keyof C & string : string;
export type EventOf<C, Ch> = C extends Catalog
  ? Ch extends keyof C
    ? keyof C[Ch] & string
    : never
  : string;
export type PayloadOf<C, Ch, E> = C extends Catalog
  ? Ch extends keyof C
    ? E extends keyof C[Ch]
      ? z.input<C[Ch][E]>
      : never
    : never
  : Record<string, unknown>;
// The payload may be left out only when the event's schema accepts an empty object.
export type PayloadArgs<P> =
  Record<never, never> extends P
    ? [payload?: P, options?: RecordOptions]
    : [payload: P, options?: RecordOptions];
