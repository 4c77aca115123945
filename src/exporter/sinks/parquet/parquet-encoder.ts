import { ByteWriter, ParquetWriter, type Writer } from "hyparquet-writer";
import { SCHEMA_VERSION_V1 } from "../../../schema/constants.js";
import { ENCODING_SCHEMA, PARQUET_SCHEMA, schemaWithout } from "./parquet-schema.js";
import type { RowValues } from "./row-values.js";
import { SnappyCompressor } from "./snappy-compressor.js";

/** Encodes row groups and the footer of one Parquet file with hyparquet-writer. */
export class ParquetEncoder {
  private readonly bytes: Writer & { index: number };
  private readonly parquet: ParquetWriter;

  private readonly footerSchema: typeof PARQUET_SCHEMA;

  /** `omit`: columns left out of the file (a partitioned export keeps them in the path). */
  constructor(
    generator: string,
    private readonly omit: readonly string[] = [],
  ) {
    this.bytes = new ByteWriter(1 << 20) as unknown as Writer & { index: number };
    this.footerSchema = schemaWithout(PARQUET_SCHEMA, omit);
    const snappy = new SnappyCompressor();
    this.parquet = new ParquetWriter({
      writer: this.bytes,
      schema: schemaWithout(ENCODING_SCHEMA, omit),
      codec: "SNAPPY",
      // The library's own Snappy writes byte by byte through a growing buffer (most of the
      // encoder's time); each page is copied out before the next is compressed.
      compressors: { SNAPPY: (bytes: Uint8Array) => snappy.compress(bytes) },
      kvMetadata: [
        { key: "telemetry.schema_version", value: SCHEMA_VERSION_V1 },
        { key: "telemetry.generator", value: generator },
      ],
      createdBy: `${generator} (hyparquet-writer)`,
    });
  }

  /** The bytes of one row group (the first call also carries the file's leading magic). */
  encodeGroup(group: RowValues): Uint8Array {
    this.parquet.write({
      columnData: [
        { name: "schema_version", data: group.versions, encoding: "RLE_DICTIONARY" as const },
        { name: "channel", data: group.channels, encoding: "RLE_DICTIONARY" as const },
        { name: "event", data: group.events, encoding: "RLE_DICTIONARY" as const },
        { name: "timestamp", data: group.micros },
        // Statistics of JSON text help no reader, and would be truncated as UTF-8 strings.
        // Payloads are all but unique: no dictionary (not even the sampling that rules it out).
        { name: "payload", data: group.payloads, encoding: "PLAIN" as const, statistics: false },
        { name: "extra", data: group.extras, encoding: "PLAIN" as const, statistics: false },
      ].filter((column) => !this.omit.includes(column.name)),
      rowGroupSize: group.rows,
    });
    return this.take();
  }

  /** The bytes of the footer; the file is complete after them. */
  finish(): Uint8Array {
    this.parquet.schema = this.footerSchema;
    this.parquet.finish();
    return this.take();
  }

  private take(): Uint8Array {
    const chunk = new Uint8Array(this.bytes.buffer, 0, this.bytes.index).slice();
    this.bytes.index = 0;
    return chunk;
  }
}
