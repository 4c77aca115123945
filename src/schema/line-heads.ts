import { CHANNEL_PATTERN, EVENT_NAME_MAX_LENGTH } from "./constants.js";

/** A (channel, event name) pair of scanned lines, validated once and shared by them all. */
export interface LineHead {
  readonly channel: string;
  readonly event: string;
  /** The UTF-8 bytes of the channel, `","event":"` and the event name: the canonical line's. */
  readonly key: Uint8Array;
  /** The canonical line's bytes before its timestamp's text (the fixed prefix, the key, ...). */
  readonly lineStart: Uint8Array;
}

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
/** What separates the channel from the event name in a canonical line. */
export const AFTER_CHANNEL = ascii('","event":"');
/** A canonical line's bytes before the channel, and between the event name and the timestamp. */
export const LINE_PREFIX = ascii('{"schema_version":"telemetry_event_v1","channel":"');
export const AFTER_EVENT = ascii('","timestamp":"');
const MAX_HEADS = 4096;
// ignoreBOM keeps a leading U+FEFF: an event name may start with one, and the copied line keeps it.
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });

/** FNV-1a over `buf[start, end)`, continuing from `hash`. */
export function hashBytes(hash: number, buf: Uint8Array, start: number, end: number): number {
  let h = hash;
  for (let at = start; at < end; at++) h = Math.imul(h ^ (buf[at] as number), 16777619);
  return h;
}

/**
 * Slots of the cache of recently found heads (a power of two). With 64, the 50 event names of
 * one channel shared slots, and lines taking turns among them missed it: 32% of the bench's
 * lines went on to the map. With 1024, 2%.
 */
const RECENT = 1024;

/** Whether `key` holds the channel `buf[cs, cs + channelLength)` and event `buf[es, es + eventLength)`. */
function isHead(
  key: Uint8Array,
  buf: Uint8Array,
  cs: number,
  channelLength: number,
  es: number,
  eventLength: number,
): boolean {
  const eventAt = channelLength + AFTER_CHANNEL.length;
  // A channel holds no quote, so the key's first quote ends its channel.
  if (key.length !== eventAt + eventLength || key[channelLength] !== 0x22) return false;
  let k = 0;
  while (k < channelLength && key[k] === buf[cs + k]) k++;
  if (k < channelLength) return false;
  k = 0;
  while (k < eventLength && key[eventAt + k] === buf[es + k]) k++;
  return k === eventLength;
}

/** Where hashing a head starts (FNV-1a's offset basis). */
export const HASH_START = 0x811c9dc5;

function isEventText(value: string): boolean {
  if (value.length === 0 || value.length > EVENT_NAME_MAX_LENGTH) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x5c) return false;
  }
  return true;
}

/**
 * The heads seen so far, found by a hash of the channel's and the event name's bytes (their
 * JSON string contents, without escapes), so a head is validated and decoded once. Bounded.
 */
export class LineHeads {
  private readonly heads = new Map<number, LineHead[]>();
  private readonly recent: (LineHead | undefined)[] = new Array(RECENT).fill(undefined);
  private readonly recentHashes = new Int32Array(RECENT);
  private count = 0;

  /**
   * The head of channel `buf[cs, ce)` and event name `buf[es, ee)`, `hash` being
   * {@link hashBytes} over the one then the other; undefined when the schema refuses either.
   */
  find(
    hash: number,
    buf: Uint8Array,
    cs: number,
    ce: number,
    es: number,
    ee: number,
  ): LineHead | undefined {
    const channelLength = ce - cs;
    // Lines come in runs of a few heads: the last one of the hash's slot is tried first.
    const slot = hash & (RECENT - 1);
    const recent = this.recent[slot];
    if (recent !== undefined && this.recentHashes[slot] === hash) {
      if (isHead(recent.key, buf, cs, channelLength, es, ee - es)) return recent;
    }
    return this.lookup(hash, buf, cs, ce, es, ee);
  }

  // The steps after the recent slot are functions of their own, so that the code compiled for
  // the line-by-line path holds only that path: with a new head's decoding and checks in it,
  // V8 took about 20 ms to compile find(), once in every worker.
  private lookup(
    hash: number,
    buf: Uint8Array,
    cs: number,
    ce: number,
    es: number,
    ee: number,
  ): LineHead | undefined {
    const channelLength = ce - cs;
    const slot = hash & (RECENT - 1);
    const bucket = this.heads.get(hash);
    if (bucket !== undefined) {
      for (const head of bucket) {
        if (isHead(head.key, buf, cs, channelLength, es, ee - es)) {
          this.recent[slot] = head;
          this.recentHashes[slot] = hash;
          return head;
        }
      }
    }
    return this.add(hash, buf, cs, ce, es, ee);
  }

  // A head not seen yet: decoded and checked once, then kept.
  private add(
    hash: number,
    buf: Uint8Array,
    cs: number,
    ce: number,
    es: number,
    ee: number,
  ): LineHead | undefined {
    const channelLength = ce - cs;
    const eventAt = channelLength + AFTER_CHANNEL.length;
    const length = eventAt + ee - es;
    const channel = decoder.decode(buf.subarray(cs, ce));
    const event = decoder.decode(buf.subarray(es, ee));
    if (!CHANNEL_PATTERN.test(channel) || !isEventText(event)) return undefined;
    if (this.count >= MAX_HEADS) {
      this.heads.clear();
      this.recent.fill(undefined);
      this.count = 0;
    }
    const key = new Uint8Array(length);
    key.set(buf.subarray(cs, ce), 0);
    key.set(AFTER_CHANNEL, channelLength);
    key.set(buf.subarray(es, ee), eventAt);
    const lineStart = new Uint8Array(LINE_PREFIX.length + length + AFTER_EVENT.length);
    lineStart.set(LINE_PREFIX, 0);
    lineStart.set(key, LINE_PREFIX.length);
    lineStart.set(AFTER_EVENT, LINE_PREFIX.length + length);
    const head = { channel, event, key, lineStart };
    const bucket = this.heads.get(hash);
    if (bucket === undefined) this.heads.set(hash, [head]);
    else bucket.push(head);
    this.count++;
    return head;
  }
}
