import type { RowSlice } from "./column-queue.js";

/** One row group's values in the form the Parquet library takes. */
export interface RowValues {
  readonly rows: number;
  readonly versions: string[];
  readonly channels: string[];
  readonly events: string[];
  readonly micros: BigInt64Array;
  readonly payloads: Uint8Array[];
}

/**
 * The values of rows spread over blocks (made only in the encoder): strings for the dictionary
 * columns, and each payload as a view of its UTF-8 bytes, which the library writes as they are.
 * Nothing is copied but the timestamps: a string per payload would be decoded here and encoded
 * again there, into a fresh buffer per row.
 */
export function rowValues(slices: readonly RowSlice[]): RowValues {
  const rows = slices.reduce((n, slice) => n + slice.count, 0);
  const versions = new Array<string>(rows);
  const channels = new Array<string>(rows);
  const events = new Array<string>(rows);
  const micros = new BigInt64Array(rows);
  const payloads = new Array<Uint8Array>(rows);
  let row = 0;
  for (const { block, from, count } of slices) {
    const { dictionary, versionIds, channelIds, eventIds, payloadBytes, payloadOffsets } = block;
    micros.set(block.micros.subarray(from, from + count), row);
    for (let k = from; k < from + count; k++, row++) {
      versions[row] = dictionary[versionIds[k] as number] as string;
      channels[row] = dictionary[channelIds[k] as number] as string;
      events[row] = dictionary[eventIds[k] as number] as string;
      payloads[row] = payloadBytes.subarray(payloadOffsets[k], payloadOffsets[k + 1]);
    }
  }
  return { rows, versions, channels, events, micros, payloads };
}
