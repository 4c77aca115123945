import type { PartitionBy } from "../../contracts.js";
import type { EventColumns } from "../../engine/event-columns.js";

const DAY_MICROS = 86_400_000_000n;

/** The partition keys a {@link PartitionBy} names, in path order. */
export function partitionColumns(by: PartitionBy): ("channel" | "day")[] {
  return by === "channel,day" ? ["channel", "day"] : [by];
}

/**
 * Splits a block of columns by partition, keeping row order within each: the key is the Hive
 * path of the partition (`channel=user/day=2025-03-01`). Channels match `[a-z0-9_-]` and days are
 * `YYYY-MM-DD`, so keys are safe path segments as they are, with nothing to escape.
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
        ? `channel=${block.dictionary[block.channelIds[row] as number]}`
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
  let bytes = 0;
  for (const [k, row] of rows.entries()) {
    bytes += (block.payloadOffsets[row + 1] as number) - (block.payloadOffsets[row] as number);
    payloadOffsets[k + 1] = bytes;
  }
  const payloadBytes = new Uint8Array(bytes);
  for (const [k, row] of rows.entries()) {
    versionIds[k] = block.versionIds[row] as number;
    channelIds[k] = block.channelIds[row] as number;
    eventIds[k] = block.eventIds[row] as number;
    micros[k] = block.micros[row] as bigint;
    const from = block.payloadOffsets[row] as number;
    const to = block.payloadOffsets[row + 1] as number;
    payloadBytes.set(block.payloadBytes.subarray(from, to), payloadOffsets[k] as number);
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
  };
}
