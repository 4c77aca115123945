// Reference: DuckDB (2 threads) doing what the exporter does, on the same files. Plain
// JavaScript, so the reference pays no TypeScript loader start-up that ours does not.
// Usage: node bench/ref/duckdb.mjs <aggregate|json|parquet> <dir> [out] [--auto]
//        [--extra name:TYPE,...]
//
// The fair reference (default) declares the columns the way the exporter reads them: the five
// core fields, `payload` kept as JSON text (never parsed into a STRUCT), the timestamp as an
// instant. `--auto` is the old reference: columns auto-detected, so DuckDB infers a STRUCT for
// `payload` and builds one per line, work the exporter does not do (kept as one labelled row).
// `--extra`: the data's other top-level fields, which the exporter keeps: declared too, written
// after the core fields in JSON, and as the `extra` column's JSON object in Parquet.
import { DuckDBInstance } from "@duckdb/node-api";

const args = process.argv.slice(2);
const auto = args.includes("--auto");
const extraAt = args.indexOf("--extra");
const extra = extraAt < 0 ? [] : args[extraAt + 1].split(",").map((f) => f.split(":"));
const [task = "aggregate", dir = "", out = ""] = args.filter(
  (a, k) => a !== "--auto" && (extraAt < 0 || (k !== extraAt && k !== extraAt + 1)),
);
const extraColumns = extra.map(([name, type]) => `, ${name}: '${type}'`).join("");
const columns = `columns = {schema_version: 'VARCHAR', channel: 'VARCHAR', event: 'VARCHAR', timestamp: 'TIMESTAMPTZ', payload: 'JSON'${extraColumns}}`;
const source = auto
  ? `read_json('${dir}/*.jsonl', format = 'newline_delimited')`
  : `read_json('${dir}/*.jsonl', format = 'newline_delimited', ${columns})`;
// Our Parquet and JSON outputs hold the five core fields, and the Parquet file one more column,
// `extra` (the other top-level fields as JSON, null when there are none, as in every bench data
// set): the fair reference writes the same columns, `extra` as a null JSON column.
const extraNames = extra.map(([name]) => `, ${name}`).join("");
const rows = auto
  ? `SELECT * FROM ${source}`
  : `SELECT schema_version, channel, event, timestamp, payload${extraNames} FROM ${source}`;
const extraObject =
  extra.length === 0
    ? "NULL::JSON"
    : `json_object(${extra.map(([name]) => `'${name}', ${name}`).join(", ")})`;
const instance = await DuckDBInstance.create(":memory:", { threads: "2" });
const db = await instance.connect();
if (task === "aggregate") {
  // The report's groupings (channel, event, day, channel x event, channel x day, schema version)
  // and its time range, in one pass, as the exporter's one scan does.
  const day = auto
    ? "strftime(timestamp::TIMESTAMP, '%Y-%m-%d')"
    : "strftime(timezone('UTC', timestamp), '%Y-%m-%d')";
  await db.runAndReadAll(
    `SELECT schema_version, channel, event, day, count(*) AS n, min(timestamp) AS first, max(timestamp) AS last
     FROM (SELECT schema_version, channel, event, timestamp, ${day} AS day FROM ${source})
     GROUP BY GROUPING SETS ((channel), (event), (day), (channel, event), (channel, day), (schema_version))`,
  );
} else if (task === "parquet") {
  const core = "schema_version, channel, event, timestamp, payload";
  const select = auto ? rows : `SELECT ${core}, ${extraObject} AS extra FROM (${rows})`;
  await db.run(`COPY (${select}) TO '${out}' (FORMAT parquet)`);
} else if (task === "json") {
  await db.run(`COPY (${rows}) TO '${out}' (FORMAT json, ARRAY true)`);
} else {
  throw new Error(`unknown task ${task}`);
}
db.closeSync();
instance.closeSync();
