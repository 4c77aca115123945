import { TelemetryError } from "../../../errors/index.js";
import { ColumnBuilder, type EventColumns } from "../../engine/event-columns.js";

// Values as this tool wrote them: timestamps as their INT64 microseconds, and JSON columns as
// their bytes, never parsed (a parse would change numbers and key order).
// Strings keep a leading U+FEFF (an event name may start with one); a default decoder drops it.
const textDecoder = new TextDecoder("utf-8", { ignoreBOM: true });
const RAW = {
  timestampFromMicroseconds: (micros: bigint) => micros,
  jsonFromBytes: (bytes: Uint8Array) => bytes,
  stringFromBytes: (bytes: Uint8Array | undefined) => bytes && textDecoder.decode(bytes),
};

const COLUMNS = ["schema_version", "channel", "event", "timestamp", "payload", "extra"] as const;

/** What a part file's footer says. */
export interface PartInfo {
  readonly rows: number;
  /** Row counts of its row groups, in order. */
  readonly groups: readonly number[];
  /** False when the channel is in the path only (a partition by channel). */
  readonly hasChannel: boolean;
}

// Loaded on first use only: compaction is the one path that reads Parquet.
const hyparquet = () => import("hyparquet");

/** Reads a part file's footer. */
export async function partInfo(path: string, shownAs = path): Promise<PartInfo> {
  const { asyncBufferFromFile, parquetMetadataAsync } = await hyparquet();
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file).catch((cause) => {
    throw damaged(shownAs, cause);
  });
  const groups = metadata.row_groups.map((g) => Number(g.num_rows));
  return {
    rows: Number(metadata.num_rows),
    groups,
    hasChannel: metadata.schema.some((element) => element.name === "channel"),
  };
}

/**
 * Reads a part file one row group at a time, handing each to `onGroup` as columns (so memory
 * holds one row group). `channel` stands in for a channel that is in the path only.
 */
export async function readPartGroups(
  path: string,
  info: PartInfo,
  channel: string,
  onGroup: (columns: EventColumns) => Promise<void>,
  shownAs = path,
): Promise<void> {
  const { asyncBufferFromFile, parquetRead } = await hyparquet();
  const file = await asyncBufferFromFile(path);
  const columns = COLUMNS.filter((c) => c !== "channel" || info.hasChannel);
  let rowStart = 0;
  for (const count of info.groups) {
    let rows: unknown[][] = [];
    let group: EventColumns;
    try {
      await parquetRead({
        file,
        columns: [...columns],
        rowStart,
        rowEnd: rowStart + count,
        parsers: RAW as never,
        onComplete: (data: unknown[][]) => {
          rows = data;
        },
      });
      group = toColumns(rows, info.hasChannel, channel);
    } catch (cause) {
      throw damaged(shownAs, cause);
    }
    rowStart += count;
    await onGroup(group);
  }
}

// What the Parquet reader throws for a damaged file ("thrift unhandled type: 15", "Offset is
// outside the bounds of the DataView") names neither the file nor the problem; the file's own
// errors (ENOENT, EACCES) say enough, and keep their code.
function damaged(path: string, cause: unknown): unknown {
  if ((cause as NodeJS.ErrnoException).code !== undefined) return cause;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new TelemetryError(
    "input_error",
    `cannot read the part file ${path}: it is damaged, or not a Parquet file this tool wrote (${reason})`,
    { cause },
  );
}

function toColumns(rows: readonly unknown[][], hasChannel: boolean, channel: string): EventColumns {
  const builder = new ColumnBuilder(rows.reduce((n, r) => n + (r.at(-2) as Uint8Array).length, 0));
  for (const row of rows) {
    const at = hasChannel ? 0 : -1;
    const payload = row[4 + at] as Uint8Array;
    const extra = row[5 + at] as Uint8Array | null | undefined;
    builder.add(
      row[0] as string,
      hasChannel ? (row[1] as string) : channel,
      row[2 + at] as string,
      row[3 + at] as bigint,
      { buffer: payload, start: 0, end: payload.length },
      extra === null || extra === undefined ? undefined : textDecoder.decode(extra),
    );
  }
  return builder.done();
}
