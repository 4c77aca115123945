import {
  appendFileSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportEvents } from "../../src/exporter/index.js";
import { planWriterClaim } from "../../src/exporter/plan/writer-plan.js";
import { SharedDataset } from "../../src/exporter/sinks/dataset/shared-dataset.js";
import { SharedRun } from "../../src/exporter/sinks/dataset/shared-run.js";
import { appendHostEvents, datasetFiles, datasetRows, rowsOf } from "../helpers/fleet.js";
import { runBin } from "../helpers/run-bin.js";
import { tempDir } from "../helpers/temp-dir.js";

const HOSTS = ["web-1", "web-2", "batch.eu"] as const;

const exportArgs = (input: string, dataset: string, host: string, extra: string[] = []) => [
  "export",
  ...["-i", input, "-f", "parquet", "--partition-by", "channel,day", "-o", dataset],
  ...["--writer", host, "--incremental", "-q", ...extra],
];

// Each host's events exported on their own (single-writer exports): what the union must hold.
async function expectedRows(inputs: readonly string[]): Promise<string[]> {
  const dirs: string[] = [];
  for (const input of inputs) {
    const output = join(tempDir(), "alone");
    await exportEvents({ inputs: [input], format: "parquet", output, partitionBy: "channel,day" });
    dirs.push(`${output}/**/*.parquet`);
  }
  return rowsOf(dirs);
}

// Every part file of the dataset, by name, with its inode.
function partFiles(dataset: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const entry of readdirSync(dataset, { recursive: true }) as string[]) {
    if (entry.endsWith(".parquet")) out.set(entry, statSync(join(dataset, entry)).ino);
  }
  return out;
}

describe("a dataset shared by several writers", () => {
  it("three processes export concurrently, twice: DuckDB reads exactly the union; compaction keeps the rows in fewer files", async () => {
    const base = tempDir();
    const dataset = join(base, "events");
    const inputs = HOSTS.map((host) => join(base, `in-${host}`));
    // Small row groups: each run leaves several part files per partition, as many runs would.
    const small = ["--row-group-size", "40"];
    for (const [i, host] of HOSTS.entries()) appendHostEvents(inputs[i] as string, host, 0, 150);
    let runs = await Promise.all(
      HOSTS.map((host, i) => runBin(exportArgs(inputs[i] as string, dataset, host, small))),
    );
    for (const run of runs) expect(run).toMatchObject({ code: 0, stderr: "" });
    const firstRound = partFiles(dataset);
    for (const [i, host] of HOSTS.entries()) appendHostEvents(inputs[i] as string, host, 150, 60);
    runs = await Promise.all(
      HOSTS.map((host, i) => runBin(exportArgs(inputs[i] as string, dataset, host, small))),
    );
    for (const run of runs) expect(run).toMatchObject({ code: 0, stderr: "" });

    // The second round continued the first: its files are carried over as they were.
    const secondRound = partFiles(dataset);
    for (const [name, ino] of firstRound) expect(secondRound.get(name)).toBe(ino);
    expect(secondRound.size).toBeGreaterThan(firstRound.size);
    expect(lstatSync(dataset).isSymbolicLink()).toBe(true);
    const union = await expectedRows(inputs);
    expect(union).toHaveLength(3 * 2 * 210);
    const rows = await datasetRows(dataset);
    expect(rows).toEqual(union);
    const files = partFiles(dataset);
    for (const name of files.keys()) {
      expect(name).toMatch(
        /^channel=\w+\/day=2025-03-0[12]\/part-\d{5}-[0-9a-f-]{36}-(web-1|web-2|batch\.eu)\.parquet$/,
      );
    }
    expect(new Set([...files.keys()].map((f) => f.split("-").at(-1))).size).toBe(3);

    const compacted = await runBin(["compact", dataset]);
    expect(compacted.code).toBe(0);
    expect(compacted.stdout).toMatch(
      new RegExp(
        `^compacted ${files.size} part files into 12 in 4 partitions of .* \\(1,260 rows\\)\\n$`,
      ),
    );
    expect(await datasetRows(dataset)).toEqual(union);
    // One file per partition and writer: each writer keeps owning its rows.
    expect(await datasetFiles(dataset)).toBe(12);
    expect(files.size).toBeGreaterThan(12);
    // Nothing but the current version is left beside the dataset.
    const store = join(base, ".events.dataset");
    expect(readdirSync(join(store, "versions"))).toHaveLength(1);
    expect(readdirSync(join(store, "stage"))).toEqual([]);
  }, 120_000);

  it("a run without --incremental replaces its own writer's files only, compacted ones included", async () => {
    const base = tempDir();
    const dataset = join(base, "events");
    const [a, b] = [join(base, "a"), join(base, "b")];
    appendHostEvents(a, "a", 0, 30);
    appendHostEvents(b, "b", 0, 30);
    for (const [input, host] of [
      [a, "a"],
      [b, "b"],
    ] as const) {
      const run = await runBin(exportArgs(input, dataset, host, ["--row-group-size", "10"]));
      expect(run.code).toBe(0);
    }
    expect((await runBin(["compact", dataset])).code).toBe(0);
    const before = partFiles(dataset);
    const ofB = [...before].filter(([name]) => name.endsWith("-b.parquet"));
    appendHostEvents(a, "a", 30, 5);
    const again = await runBin(exportArgs(a, dataset, "a").filter((f) => f !== "--incremental"));
    expect(again.code).toBe(0);
    expect(await datasetRows(dataset)).toEqual(await expectedRows([a, b]));
    // b's files are the same files (same inodes); a's were all replaced.
    const after = partFiles(dataset);
    for (const [name, ino] of ofB) expect(after.get(name)).toBe(ino);
    for (const name of before.keys()) {
      if (name.endsWith("-a.parquet")) expect(after.has(name)).toBe(false);
    }
  }, 60_000);

  it("an unfinished last line goes to this writer's tail file, replaced by its next run", async () => {
    const base = tempDir();
    const dataset = join(base, "events");
    const [a, b] = [join(base, "a"), join(base, "b")];
    appendHostEvents(b, "b", 0, 4);
    mkdirSync(a);
    const line = (i: number) =>
      JSON.stringify({
        schema_version: "telemetry_event_v1",
        channel: "user",
        event: "e",
        timestamp: `2025-03-01T10:00:0${i}.000Z`,
        payload: { i },
      });
    writeFileSync(join(a, "user.jsonl"), `${line(1)}\n${line(2)}`);
    const options = { format: "parquet", output: dataset, partitionBy: "channel,day" } as const;
    await exportEvents({ ...options, inputs: [b], writer: "b", incremental: true });
    await exportEvents({ ...options, inputs: [a], writer: "a", incremental: true });
    const names = () =>
      [...partFiles(dataset).keys()].map((f) => f.replace(/-[0-9a-f-]{36}-/, "-RUN-"));
    expect(
      names()
        .filter((f) => f.endsWith("-a.parquet"))
        .sort(),
    ).toEqual([
      "channel=user/day=2025-03-01/part-00000-RUN-a.parquet",
      "channel=user/day=2025-03-01/tail-00000-RUN-a.parquet",
    ]);
    appendFileSync(join(a, "user.jsonl"), `\n${line(3)}\n`);
    const again = await exportEvents({ ...options, inputs: [a], writer: "a", incremental: true });
    expect(again.incremental?.mode).toBe("incremental");
    expect(
      names()
        .filter((f) => f.endsWith("-a.parquet"))
        .sort(),
    ).toEqual([
      "channel=user/day=2025-03-01/part-00000-RUN-a.parquet",
      "channel=user/day=2025-03-01/part-00001-RUN-a.parquet",
    ]);
    expect(await datasetRows(dataset)).toEqual(await expectedRows([a, b]));
  });

  it("an incremental run does not commit when another run of its writer committed meanwhile", async () => {
    const base = tempDir();
    const dataset = join(base, "events");
    const input = join(base, "in");
    appendHostEvents(input, "a", 0, 5);
    await exportEvents({
      inputs: [input],
      format: "parquet",
      output: dataset,
      partitionBy: "channel,day",
      writer: "a",
      incremental: true,
    });
    const rows = await datasetRows(dataset);
    // A run that started before that state was written (it saw none) must not commit.
    const run = await SharedRun.start(
      await SharedDataset.open(dataset, true),
      planWriterClaim("a", {}, [input]),
      undefined,
      undefined,
    );
    await run.writeFile("channel=user/x.parquet", new Uint8Array([1]));
    await expect(run.commit()).rejects.toMatchObject({
      code: "output_conflict",
      message: expect.stringMatching(
        /^another run of writer a committed to .* while this one ran; nothing was committed$/,
      ),
    });
    expect(await datasetRows(dataset)).toEqual(rows);
    expect(readdirSync(join(base, ".events.dataset", "stage"))).toEqual([]);
  });

  it("refuses what is not a shared dataset, a writer without --partition-by, and bad writer names", async () => {
    const base = tempDir();
    const input = join(base, "in");
    appendHostEvents(input, "a", 0, 3);
    const single = join(base, "single");
    expect(
      (
        await runBin([
          "export",
          "-i",
          input,
          "-f",
          "parquet",
          "--partition-by",
          "channel",
          "-o",
          single,
          "-q",
        ])
      ).code,
    ).toBe(0);
    const intoSingle = await runBin(exportArgs(input, single, "a"));
    expect(intoSingle.code).toBe(2);
    expect(intoSingle.stderr).toMatch(
      /single is not a shared dataset \(one written with a writer name\); refusing to change it/,
    );
    const shared = join(base, "shared");
    expect((await runBin(exportArgs(input, shared, "a"))).code).toBe(0);
    const overShared = await runBin([
      "export",
      "-i",
      input,
      "-f",
      "parquet",
      "--partition-by",
      "channel",
      "-o",
      shared,
      "-q",
    ]);
    expect(overShared.code).toBe(2);
    expect(overShared.stderr).toContain(
      `error: output ${shared} is a shared dataset (one written with a --writer name); a run without one would replace every writer's files: give this host's --writer name, or another path\n`,
    );
    const noPartition = await runBin([
      "export",
      "-i",
      input,
      "-f",
      "parquet",
      "-o",
      join(base, "x.parquet"),
      "--writer",
      "a",
    ]);
    expect(noPartition.code).toBe(2);
    expect(noPartition.stderr).toMatch(
      /--writer needs --partition-by \(a shared dataset is partitioned\)/,
    );
    for (const name of [".hidden", "_x", "a/b", "x".repeat(65)]) {
      const bad = await runBin(exportArgs(input, join(base, "bad"), name));
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--writer must be 1 to 64 letters, digits/);
    }
    const badSize = await runBin(["compact", shared, "--row-group-size", "0"]);
    expect(badSize.code).toBe(2);
    expect(badSize.stderr).toMatch(/--row-group-size must be a whole number from 1 to 1,000,000/);
    const notDataset = await runBin(["compact", single]);
    expect(notDataset.code).toBe(2);
    expect(notDataset.stderr).toMatch(/single is not a shared dataset/);
    mkdirSync(join(base, "empty"));
    const empty = await runBin(["compact", join(base, "empty")]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/empty is not a shared dataset: it is empty/);
  }, 60_000);
});
