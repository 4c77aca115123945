// Reference: DuckDB (2 threads) doing what the exporter does, on the same files. Plain
// JavaScript, so the reference pays no TypeScript loader start-up that ours does not.
import { DuckDBInstance } from "@duckdb/node-api";

const [task = "aggregate", dir = "", out = ""] = process.argv.slice(2);
const source = `read_json('${dir}/*.jsonl', format='newline_delimited')`;
const instance = await DuckDBInstance.create(":memory:", { threads: "2" });
const db = await instance.connect();
if (task === "aggregate") {
  await db.runAndReadAll(
    `SELECT channel, event, strftime(timestamp::TIMESTAMP, '%Y-%m-%d') AS day, count(*) AS n FROM ${source} GROUP BY GROUPING SETS ((channel), (event), (day))`,
  );
} else if (task === "parquet") {
  await db.run(`COPY (SELECT * FROM ${source}) TO '${out}' (FORMAT parquet)`);
} else if (task === "json") {
  await db.run(`COPY (SELECT * FROM ${source}) TO '${out}' (FORMAT json, ARRAY true)`);
} else {
  throw new Error(`unknown task ${task}`);
}
db.closeSync();
instance.closeSync();
