import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parquetMetadata } from "hyparquet";
import { describe, expect, it } from "vitest";
import { exportEvents, type PartitionBy } from "../../src/exporter/index.js";
import { partitionedExportArgs, runCli } from "../helpers/cli.js";
import { duckdbRows } from "../helpers/duckdb.js";
import { recordSample } from "../helpers/sample-events.js";
import { tempDir } from "../helpers/temp-dir.js";

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.sort();
}

const COLUMNS = `schema_version, channel, event, epoch_us(timestamp)::VARCHAR AS micros, payload::VARCHAR AS payload`;

async function exportBoth(by: PartitionBy, rowGroupSize?: number) {
  const input = tempDir();
  await recordSample(input, 250);
  const single = join(tempDir(), "events.parquet");
  await exportEvents({ inputs: [input], format: "parquet", output: single });
  const dir = join(tempDir(), "events");
  const result = await exportEvents({
    inputs: [input],
    format: "parquet",
    output: dir,
    partitionBy: by,
    ...(rowGroupSize === undefined ? {} : { rowGroupSize }),
  });
  return { input, single, dir, result };
}

describe("partitioned Parquet export", () => {
  it.each(["day", "channel", "channel,day"] as const)(
    "--partition-by %s: DuckDB reads the same rows and types, with the partition columns from the path",
    async (by) => {
      const { single, dir, result } = await exportBoth(by);
      const glob = `read_parquet('${dir}/**/*.parquet', hive_partitioning = true)`;
      const expected = await duckdbRows(
        `SELECT ${COLUMNS} FROM read_parquet('${single}') ORDER BY ALL`,
      );
      const actual = await duckdbRows(`SELECT ${COLUMNS} FROM ${glob} ORDER BY ALL`);
      expect(actual).toEqual(expected);
      expect(result.events).toBe(expected.length);
      const types = Object.fromEntries(
        (await duckdbRows(`DESCRIBE SELECT * FROM ${glob}`)).map((c) => [
          c.column_name,
          c.column_type,
        ]),
      );
      expect(types).toMatchObject({
        schema_version: "VARCHAR",
        channel: "VARCHAR",
        event: "VARCHAR",
        timestamp: "TIMESTAMP WITH TIME ZONE",
        payload: "JSON",
      });
      if (by.includes("day")) {
        expect(types.day).toBe("DATE");
        // Every row sits in the partition of its own UTC day.
        const wrong = await duckdbRows(
          `SELECT count(*)::INTEGER AS n FROM ${glob} WHERE day <> (timestamp AT TIME ZONE 'UTC')::DATE`,
        );
        expect(wrong).toEqual([{ n: 0 }]);
      }
      const layout = files(dir);
      expect(layout).toContain("_SUCCESS");
      const pattern =
        by === "day"
          ? /^day=\d{4}-\d{2}-\d{2}\/part-\d{5}-[0-9a-f-]{36}\.parquet$/
          : by === "channel"
            ? /^channel=[a-z0-9_-]+\/part-\d{5}-[0-9a-f-]{36}\.parquet$/
            : /^channel=[a-z0-9_-]+\/day=\d{4}-\d{2}-\d{2}\/part-\d{5}-[0-9a-f-]{36}\.parquet$/;
      for (const file of layout.filter((f) => f !== "_SUCCESS")) expect(file).toMatch(pattern);
      expect(result.files).toBe(layout.length - 1);
    },
  );

  it("keeps partition columns out of the files (the path holds them), other columns as in one file", async () => {
    const { dir } = await exportBoth("channel,day");
    const first = files(dir).find((f) => f.endsWith(".parquet")) as string;
    const bytes = readFileSync(join(dir, first));
    const meta = parquetMetadata(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    );
    expect(meta.schema.map((s) => s.name)).toEqual([
      "schema",
      "schema_version",
      "event",
      "timestamp",
      "payload",
      "extra",
    ]);
    expect(meta.schema[4]).toMatchObject({ converted_type: "JSON" });
    expect(meta.schema[5]).toMatchObject({ converted_type: "JSON", repetition_type: "OPTIONAL" });
  });

  it("splits a partition into several part files of at most --row-group-size rows", async () => {
    const { dir } = await exportBoth("channel", 10);
    const user = files(dir).filter((f) => f.startsWith("channel=user/"));
    expect(user.length).toBeGreaterThan(3);
    const counts = await duckdbRows(
      `SELECT filename, count(*)::INTEGER AS n FROM read_parquet('${dir}/channel=user/*.parquet', filename = true) GROUP BY filename`,
    );
    for (const row of counts) expect(row.n).toBeLessThanOrEqual(10);
  });

  it("replaces a previous export as a whole, leaving no temp directory", async () => {
    const input = tempDir();
    await recordSample(input, 50);
    const parent = tempDir();
    const dir = join(parent, "events");
    await exportEvents({ inputs: [input], format: "parquet", output: dir, partitionBy: "channel" });
    await exportEvents({ inputs: [input], format: "parquet", output: dir, partitionBy: "day" });
    expect(files(dir).every((f) => f === "_SUCCESS" || f.startsWith("day="))).toBe(true);
    expect(readdirSync(parent)).toEqual(["events"]);
  });

  it("a failed run leaves the previous export intact", async () => {
    const input = tempDir();
    await recordSample(input, 50);
    const parent = tempDir();
    const dir = join(parent, "events");
    await exportEvents({ inputs: [input], format: "parquet", output: dir, partitionBy: "channel" });
    const before = files(dir);
    writeFileSync(join(input, "user.jsonl"), "{bad\n", { flag: "a" });
    await expect(
      exportEvents({
        inputs: [input],
        format: "parquet",
        output: dir,
        partitionBy: "day",
        strict: true,
      }),
    ).rejects.toThrow(/\(`strict`\)/);
    expect(files(dir)).toEqual(before);
    expect(readdirSync(parent)).toEqual(["events"]);
  });

  it("refuses to replace a directory that is not an export, or that holds an input (exit 2)", async () => {
    const input = tempDir();
    await recordSample(input, 20);
    const mine = tempDir();
    writeFileSync(join(mine, "notes.txt"), "keep me");
    const run = await runCli(partitionedExportArgs(input, mine));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("is a directory that is not a partitioned export");
    expect(readFileSync(join(mine, "notes.txt"), "utf8")).toBe("keep me");
    const around = await runCli(partitionedExportArgs(input, join(input, "..")));
    expect(around.code).toBe(2);
    expect(around.stderr).toContain("holds the input");
  });

  it("--partition-by needs Parquet and a directory (exit 2); the CLI says how many part files it wrote", async () => {
    const input = tempDir();
    await recordSample(input, 20);
    const json = await runCli([
      "export",
      "-i",
      input,
      "--partition-by",
      "day",
      "-o",
      join(tempDir(), "x"),
    ]);
    expect(json.code).toBe(2);
    expect(json.stderr).toContain("--partition-by needs --format parquet");
    const bad = await runCli(partitionedExportArgs(input, "x", "week"));
    expect(bad.code).toBe(2);
    const out = join(tempDir(), "events");
    const ok = await runCli(partitionedExportArgs(input, out, "channel"));
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/wrote 22 events to .* \(3 part files\)/);
    expect(existsSync(join(out, "channel=user"))).toBe(true);
  });
});
