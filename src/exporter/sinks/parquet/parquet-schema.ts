import type { ParquetWriter } from "hyparquet-writer";

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

// Rows are encoded against this schema and the file's footer gets PARQUET_SCHEMA: both have the
// same physical types and encodings, and the library leaves the values of these as they are.
// - payload as UTF-8 text we serialized: hyparquet-writer serializes JSON columns itself by
//   copying each object key by key, which turns a "__proto__" key into a prototype and loses it;
// - timestamp as plain INT64: for the TIMESTAMP type it makes a BigInt of every value (twice),
//   most of the encoder's garbage.
export const ENCODING_SCHEMA: SchemaElement[] = PARQUET_SCHEMA.map((element) => {
  if (element.name === "payload")
    return { name: "payload", repetition_type: "REQUIRED", ...STRING };
  if (element.name === "timestamp")
    return { name: "timestamp", type: "INT64", repetition_type: "REQUIRED" };
  return element;
});

/** The schema without the given columns (partition columns, which live in the path). */
export function schemaWithout(
  schema: readonly SchemaElement[],
  omit: readonly string[],
): SchemaElement[] {
  const kept = schema.slice(1).filter((element) => !omit.includes(element.name));
  return [{ ...(schema[0] as SchemaElement), num_children: kept.length }, ...kept];
}
