import type { ParquetWriter, Writer } from "hyparquet-writer";
import { SCHEMA_VERSION_V1 } from "../../schema/index.js";
import { PACKAGE_NAME, packageVersion } from "../../version.js";
import type { EventColumns, SegmentResult } from "../engine/segment.js";
import type { OutputSink } from "../output-sink.js";
import type { EventWriter } from "./event-writer.js";

/** Default rows per Parquet row group: large enough for analytics scans, small enough to stream. */
export const DEFAULT_ROW_GROUP_SIZE = 100_000;

type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]["schema"][number];

const STRING = {
  type: "BYTE_ARRAY",
  converted_type: "UTF8",
  logical_type: { type: "STRING" },
} as const;

/** The Parquet columns: `timestamp` is INT64 microseconds, adjusted to UTC; `payload` is JSON text. */
export const PARQUET_SCHEMA: SchemaElement[] = [
  { name: "schema", num_children: 5 },
  { name: "schema_version", repetition_type: "REQUIRED", ...STRING },
  { name: "channel", repetition_type: "REQUIRED", ...STRING },
  { name: "event", repetition_type: "REQUIRED", ...STRING },
  {
    name: "timestamp",
    type: "INT64",
    repetition_type: "REQUIRED",
    logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MICROS" },
  },
  {
    name: "payload",
    type: "BYTE_ARRAY",
    repetition_type: "REQUIRED",
    converted_type: "JSON",
    logical_type: { type: "JSON" },
  },
];

// hyparquet-writer serializes JSON columns itself by copying each object key by key, which
// turns a "__proto__" key into a prototype and loses it. So rows are encoded against this schema,
// where payload is UTF-8 text we serialized, and the file's footer gets PARQUET_SCHEMA (JSON);
// both have the same physical type and encoding.
const ENCODING_SCHEMA: SchemaElement[] = PARQUET_SCHEMA.map((element) =>
  element.name === "payload"
    ? { name: "payload", repetition_type: "REQUIRED", ...STRING }
    : element,
);

/** Writes events as one Parquet file, a row group at a time, through a lazily loaded writer. */
class ParquetEventWriter implements EventWriter {
  readonly want = { columns: true };
  private pending: EventColumns[] = [];
  private rows = 0;

  constructor(
    private readonly sink: OutputSink,
    private readonly bytes: Writer & { index: number },
    private readonly parquet: ParquetWriter,
    private readonly rowGroupSize: number,
  ) {}

  async accept(result: SegmentResult): Promise<void> {
    const columns = result.columns;
    if (columns === undefined || columns.micros.length === 0) return;
    this.pending.push(columns);
    this.rows += columns.micros.length;
    while (this.rows >= this.rowGroupSize) {
      this.encodeRowGroup(this.rowGroupSize);
      await this.flushBytes();
    }
  }

  async finish(): Promise<void> {
    if (this.rows > 0) this.encodeRowGroup(this.rows);
    this.parquet.schema = PARQUET_SCHEMA;
    await this.parquet.finish();
    await this.flushBytes();
    await this.sink.commit();
  }

  abort(): Promise<void> {
    this.pending = [];
    return this.sink.abort();
  }

  // Takes exactly `rows` rows from the pending columns (groups span segments).
  private encodeRowGroup(rows: number): void {
    const group: EventColumns = {
      versions: [],
      channels: [],
      events: [],
      micros: new BigInt64Array(rows),
      payloads: [],
    };
    let filled = 0;
    while (filled < rows) {
      const head = this.pending[0] as EventColumns;
      const take = Math.min(rows - filled, head.micros.length);
      group.versions.push(...head.versions.slice(0, take));
      group.channels.push(...head.channels.slice(0, take));
      group.events.push(...head.events.slice(0, take));
      group.micros.set(head.micros.subarray(0, take), filled);
      group.payloads.push(...head.payloads.slice(0, take));
      filled += take;
      if (take === head.micros.length) this.pending.shift();
      else {
        this.pending[0] = {
          versions: head.versions.slice(take),
          channels: head.channels.slice(take),
          events: head.events.slice(take),
          micros: head.micros.subarray(take),
          payloads: head.payloads.slice(take),
        };
      }
    }
    this.rows -= rows;
    this.parquet.write({
      columnData: [
        { name: "schema_version", data: group.versions, encoding: "RLE_DICTIONARY" },
        { name: "channel", data: group.channels, encoding: "RLE_DICTIONARY" },
        { name: "event", data: group.events, encoding: "RLE_DICTIONARY" },
        { name: "timestamp", data: group.micros },
        // Statistics of JSON text help no reader, and would be truncated as UTF-8 strings.
        { name: "payload", data: group.payloads, statistics: false },
      ],
      rowGroupSize: rows,
    });
  }

  private async flushBytes(): Promise<void> {
    if (this.bytes.index === 0) return;
    // The sink has consumed the bytes when write() resolves, so the buffer can be reused after.
    const chunk = new Uint8Array(this.bytes.buffer, 0, this.bytes.index);
    await this.sink.write(chunk);
    this.bytes.index = 0;
  }
}

/** Options of the Parquet export. */
export interface ParquetOptions {
  /** Rows per row group. Default 100,000. */
  readonly rowGroupSize?: number;
}

/** Creates the Parquet writer, loading the Parquet library only now. */
export async function createParquetWriter(
  sink: OutputSink,
  options: ParquetOptions = {},
): Promise<EventWriter> {
  const { ByteWriter, ParquetWriter } = await import("hyparquet-writer");
  const bytes = new ByteWriter(1 << 20) as unknown as Writer & { index: number };
  const generator = `${PACKAGE_NAME} ${packageVersion()}`;
  const parquet = new ParquetWriter({
    writer: bytes,
    schema: ENCODING_SCHEMA,
    codec: "SNAPPY",
    kvMetadata: [
      { key: "telemetry.schema_version", value: SCHEMA_VERSION_V1 },
      { key: "telemetry.generator", value: generator },
    ],
    createdBy: `${generator} (hyparquet-writer)`,
  });
  return new ParquetEventWriter(
    sink,
    bytes,
    parquet,
    options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE,
  );
}
