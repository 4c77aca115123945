import { DuckDBInstance } from "@duckdb/node-api";
const inst = await DuckDBInstance.create(":memory:");
const c = await inst.connect();
const r = await c.runAndReadAll(`SELECT count(*)::INT n, count(DISTINCT filename)::INT f FROM read_parquet('${process.argv[2]}/**/*.parquet', hive_partitioning=true, filename=true)`);
console.log(r.getRowObjectsJS());
