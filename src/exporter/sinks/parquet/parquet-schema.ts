/** One column of the files we write, in Parquet's terms. */
export interface ColumnSchema {
  readonly name: ColumnName;
  readonly type: "BYTE_ARRAY" | "INT64";
  readonly optional: boolean;
  /** The converted type (for older readers) beside the logical one. */
  readonly converted: "UTF8" | "JSON" | undefined;
  readonly logical: "STRING" | "JSON" | "TIMESTAMP_MICROS_UTC";
}

export type ColumnName = "schema_version" | "channel" | "event" | "timestamp" | "payload" | "extra";

const string = (name: ColumnName): ColumnSchema => ({
  name,
  type: "BYTE_ARRAY",
  optional: false,
  converted: "UTF8",
  logical: "STRING",
});

/**
 * The Parquet columns: `timestamp` is INT64 microseconds, adjusted to UTC; `payload` is JSON
 * text; `extra` is the JSON text of an object of the event's other top-level fields (later
 * schema revisions add some), null when it has none.
 */
export const PARQUET_COLUMNS: readonly ColumnSchema[] = [
  string("schema_version"),
  string("channel"),
  string("event"),
  {
    name: "timestamp",
    type: "INT64",
    optional: false,
    converted: undefined,
    logical: "TIMESTAMP_MICROS_UTC",
  },
  { name: "payload", type: "BYTE_ARRAY", optional: false, converted: "JSON", logical: "JSON" },
  { name: "extra", type: "BYTE_ARRAY", optional: true, converted: "JSON", logical: "JSON" },
];
