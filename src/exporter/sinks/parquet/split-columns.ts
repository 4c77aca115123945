import type { PartitionBy } from "../../contracts.js";
import type { EventColumns } from "../../engine/event-columns.js";

const DAY_MICROS = 86_400_000_000n;

/** The partition keys a {@link PartitionBy} names, in path order. */
export function partitionColumns(by: PartitionBy): ("channel" | "day")[] {
  return by === "channel,day" ? ["channel", "day"] : [by];
}

/**
 * The path segment of a channel partition. Channels match `[a-z0-9_-]`, safe in a path as they
 * are, but DuckDB reads the value `null` as SQL NULL (even with `hive_types` naming VARCHAR), so
 * the channel `null` is spelled `channel=%6Eull`: DuckDB, pyarrow, Spark and Trino decode a
 * Hive value's `%XX` escapes, and read it back as the text `null`.
 */
export function channelSegment(channel: string): string {
  return channel === "null" ? "channel=%6Eull" : `channel=${channel}`;
}

/** The channel a {@link channelSegment} names (its `%XX` escapes decoded). */
export function channelOfSegment(value: string): string {
  return value.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/**
 * Splits a block of columns by partition, keeping row order within each: the key is the Hive
 * path of the partition (`channel=user/day=2025-03-01`). Channels match `[a-z0-9_-]` and days are
 * `YYYY-MM-DD`, so keys are safe path segments, with one exception ({@link channelSegment}).
 */
export function splitColumns(block: EventColumns, by: PartitionBy): Map<string, EventColumns> {
  const columns = partitionColumns(by);
  const days = new Map<bigint, string>();
  const dayOf = (micros: bigint): string => {
    const n = micros >= 0n ? micros / DAY_MICROS : -((-micros + DAY_MICROS - 1n) / DAY_MICROS);
    let day = days.get(n);
    if (day === undefined) {
      day = new Date(Number(n) * 86_400_000).toISOString().slice(0, 10);
      days.set(n, day);
    }
    return day;
  };
  const rowsByKey = new Map<string, number[]>();
  for (let row = 0; row < block.rows; row++) {
    const parts = columns.map((column) =>
      column === "channel"
        ? channelSegment(block.dictionary[block.channelIds[row] as number] as string)
        : `day=${dayOf(block.micros[row] as bigint)}`,
    );
    const key = parts.join("/");
    const rows = rowsByKey.get(key);
    if (rows === undefined) rowsByKey.set(key, [row]);
    else rows.push(row);
  }
  const out = new Map<string, EventColumns>();
  for (const [key, rows] of rowsByKey) out.set(key, selectRows(block, rows));
  return out;
}

/** The given rows of a block, in the given order (the dictionary is shared). */
export function selectRows(block: EventColumns, rows: readonly number[]): EventColumns {
  const n = rows.length;
  const versionIds = new Uint32Array(n);
  const channelIds = new Uint32Array(n);
  const eventIds = new Uint32Array(n);
  const micros = new BigInt64Array(n);
  const payloadOffsets = new Uint32Array(n + 1);
  const extraOffsets = new Uint32Array(n + 1);
  let bytes = 0;
  let extraBytesUsed = 0;
  for (const [k, row] of rows.entries()) {
    bytes += (block.payloadOffsets[row + 1] as number) - (block.payloadOffsets[row] as number);
    payloadOffsets[k + 1] = bytes;
    extraBytesUsed += (block.extraOffsets[row + 1] as number) - (block.extraOffsets[row] as number);
    extraOffsets[k + 1] = extraBytesUsed;
  }
  const payloadBytes = new Uint8Array(bytes);
  const extraBytes = new Uint8Array(extraBytesUsed);
  for (const [k, row] of rows.entries()) {
    versionIds[k] = block.versionIds[row] as number;
    channelIds[k] = block.channelIds[row] as number;
    eventIds[k] = block.eventIds[row] as number;
    micros[k] = block.micros[row] as bigint;
    const from = block.payloadOffsets[row] as number;
    const to = block.payloadOffsets[row + 1] as number;
    payloadBytes.set(block.payloadBytes.subarray(from, to), payloadOffsets[k] as number);
    const extraFrom = block.extraOffsets[row] as number;
    const extraTo = block.extraOffsets[row + 1] as number;
    extraBytes.set(block.extraBytes.subarray(extraFrom, extraTo), extraOffsets[k] as number);
  }
  return {
    rows: n,
    dictionary: block.dictionary,
    versionIds,
    channelIds,
    eventIds,
    micros,
    payloadBytes,
    payloadOffsets,
    extraBytes,
    extraOffsets,
  };
}
