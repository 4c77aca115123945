import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planWriterClaim } from "../../src/exporter/plan/writer-plan.js";
import { SharedDataset } from "../../src/exporter/sinks/dataset/shared-dataset.js";
import { SharedRun } from "../../src/exporter/sinks/dataset/shared-run.js";
import { runCli } from "../helpers/cli.js";
import { duckdbRows } from "../helpers/duckdb.js";
import { eventLine } from "../helpers/event-lines.js";
import { tempDir } from "../helpers/temp-dir.js";

function inputDir(events: readonly string[]): string {
  const input = join(tempDir(), "in");
  mkdirSync(input);
  writeFileSync(
    join(input, "user.jsonl"),
    `${events.map((event) => eventLine({ event })).join("\n")}\n`,
  );
  return input;
}

const exportTo = (input: string, dataset: string, by: string, writer: string) =>
  runCli([
    ...["export", "-i", input, "-f", "parquet", "--partition-by", by, "-o", dataset],
    ...["--writer", writer, "-q"],
  ]);

const parquetFiles = (dataset: string) =>
  (readdirSync(dataset, { recursive: true }) as string[])
    .filter((f) => f.endsWith(".parquet"))
    .sort();

async function rowCount(dataset: string): Promise<unknown> {
  const [row] = await duckdbRows(
    `SELECT count(*)::INTEGER AS n FROM read_parquet('${dataset}/**/*.parquet', hive_partitioning = true)`,
  );
  return row?.n;
}

describe("a shared dataset keeps one partition layout", () => {
  it("refuses a writer whose --partition-by differs from the other writers' files; DuckDB still reads it", async () => {
    const dataset = join(tempDir(), "events");
    expect((await exportTo(inputDir(["a", "b"]), dataset, "channel,day", "web-1")).code).toBe(0);
    const before = parquetFiles(dataset);
    expect(before).toHaveLength(1);

    const other = await exportTo(inputDir(["c"]), dataset, "day", "web-2");
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("is partitioned by channel,day");
    expect(other.stderr).toContain("writer web-1");
    expect(other.stderr).toContain("this run's files are partitioned by day");
    expect(other.stderr).toContain("nothing was committed");
    expect(parquetFiles(dataset)).toEqual(before);
    expect(await rowCount(dataset)).toBe(2);

    // Refused before the name was claimed: another producer may take it with the right layout.
    expect((await exportTo(inputDir(["c"]), dataset, "channel,day", "web-2")).code).toBe(0);
    expect(await rowCount(dataset)).toBe(3);
  });

  it("checks again at commit: a run that started on an empty dataset commits nothing once another layout is there", async () => {
    const dataset = join(tempDir(), "events");
    const input = inputDir(["c"]);
    const run = await SharedRun.start(
      await SharedDataset.open(dataset, true),
      planWriterClaim("web-2", {}, [input]),
      undefined,
      undefined,
    );
    expect((await exportTo(inputDir(["a", "b"]), dataset, "channel,day", "web-1")).code).toBe(0);
    await run.writeFile(
      `day=2025-03-01/part-00000-${randomUUID()}-web-2.parquet`,
      new Uint8Array([1]),
    );
    await expect(run.commit()).rejects.toMatchObject({
      code: "output_conflict",
      message: expect.stringMatching(
        /is partitioned by channel,day .*; this run's files are partitioned by day, .*nothing was committed$/,
      ),
    });
    expect(await rowCount(dataset)).toBe(2);
  });

  it("lets the only writer change its layout: its own files are replaced", async () => {
    const dataset = join(tempDir(), "events");
    const input = inputDir(["a", "b"]);
    expect((await exportTo(input, dataset, "channel,day", "web-1")).code).toBe(0);
    expect((await exportTo(input, dataset, "day", "web-1")).code).toBe(0);
    const files = parquetFiles(dataset);
    expect(files).toHaveLength(1);
    expect(files.every((f) => f.startsWith("day="))).toBe(true);
    expect(await rowCount(dataset)).toBe(2);
  });
});
