// Every consuming figure on every data set (aggregate, JSON export, Parquet export, with the
// `cat` and split + JSON.parse floors), each against the fair DuckDB reference (columns declared
// as we read them) measured round-robin with it; on the standard set, the old reference too.
import { fmtRatio, type Harness, type Row } from "./harness.js";

/** A data set and the targets of its three commands ("" for none). */
export interface DataSet {
  readonly label: string;
  readonly dir: string;
  readonly targets: readonly [string, string, string];
  /** Other top-level fields the data has, for the reference (`name:TYPE,...`, see duckdb.mjs). */
  readonly extra?: string;
}

/** Our three rows on the standard data set. */
export interface Ours {
  readonly agg: Row;
  readonly json: Row;
  readonly parquet: Row;
}

/** Measures every data set; returns our rows on the standard one, if it was among them. */
export async function consumingBench(
  h: Harness,
  dataSets: readonly DataSet[],
  bin: string,
  out: (name: string) => string,
): Promise<Ours | undefined> {
  let standard: Ours | undefined;
  for (const { label, dir, targets, extra } of dataSets) {
    const duck = (task: string, dir: string, ...rest: string[]) => [
      "bench/ref/duckdb.mjs",
      task,
      dir,
      ...rest,
      ...(extra === undefined ? [] : ["--extra", extra]),
    ];
    const tag = (row: Row) => {
      row.data = label;
      return row;
    };
    tag(
      await h.timed(
        `cat inputs > /dev/null`,
        ["-c", `cat ${dir}/*.jsonl > /dev/null`],
        "/bin/sh",
        true,
      ),
    );
    const [parseFloor, duckAgg, agg] = (
      await h.interleaved([
        {
          name: "split + JSON.parse (floor, one thread)",
          args: ["bench/ref/consume-floor.mjs", dir],
        },
        { name: "DuckDB aggregate (fair, 2 threads)", args: duck("aggregate", dir) },
        {
          name: "telemetry-exporter aggregate",
          args: [bin, "aggregate", "-i", dir, "-o", out("agg.json"), "-q"],
        },
      ])
    ).map((r) => tag(r.row)) as [Row, Row, Row];
    h.compare(agg, duckAgg, targets[0]);
    h.compare(parseFloor, duckAgg);
    const [writeFloor, duckJson, json] = (
      await h.interleaved([
        {
          name: "read + write the bytes, fsync (floor, one thread)",
          args: ["bench/ref/write-floor.mjs", dir, out("floor.json")],
        },
        { name: "DuckDB COPY to JSON array (fair)", args: duck("json", dir, out("duck.json")) },
        {
          name: "telemetry-exporter export --format json",
          args: [bin, "export", "-i", dir, "-o", out("events.json"), "-q"],
        },
      ])
    ).map((r) => tag(r.row)) as [Row, Row, Row];
    h.compare(json, duckJson, targets[1]);
    h.compare(writeFloor, duckJson);
    const [duckParquet, parquet] = (
      await h.interleaved([
        { name: "DuckDB COPY to Parquet (fair)", args: duck("parquet", dir, out("duck.parquet")) },
        {
          name: "telemetry-exporter export --format parquet",
          args: [bin, "export", "-f", "parquet", "-i", dir, "-o", out("events.parquet"), "-q"],
        },
      ])
    ).map((r) => tag(r.row)) as [Row, Row];
    h.compare(parquet, duckParquet, targets[2]);
    if (label === "standard") {
      standard = { agg, json, parquet };
      // The old reference, kept as a labelled row per command: auto-detected columns make DuckDB
      // infer a STRUCT for `payload` and build one per line, work we do not do. One round.
      const old = await h.interleaved(
        [
          {
            name: "DuckDB aggregate, auto-detected columns (old reference)",
            args: duck("aggregate", dir, "", "--auto"),
          },
          {
            name: "DuckDB JSON array, auto-detected columns (old reference)",
            args: duck("json", dir, out("duck.json"), "--auto"),
          },
          {
            name: "DuckDB Parquet, auto-detected columns (old reference)",
            args: duck("parquet", dir, out("duck.parquet"), "--auto"),
          },
        ],
        1,
      );
      for (const [k, ours] of [agg, json, parquet].entries()) {
        const row = tag((old[k] as (typeof old)[number]).row);
        row.note = `ours ${fmtRatio(ours.seconds / row.seconds)} of it`;
      }
    }
  }
  return standard;
}
