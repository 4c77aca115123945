// `compact` from the command line (docs/operations.md): `--row-group-size N` merges part files
// of fewer than N rows into files of N rows, one row group each; -q prints nothing; a dataset
// missing or empty is exit 1 (nothing exported yet, as a missing input), anything else that is
// not a shared dataset exit 2; a --row-group-size out of 1 to 1,000,000 exit 2, as for export.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parquetMetadata } from "hyparquet";
import { describe, expect, it } from "vitest";
import { compactDataset } from "../../src/exporter/index.js";
import { partitionedExportArgs, runCli } from "../helpers/cli.js";
import { eventLine } from "../helpers/event-lines.js";
import { runBin } from "../helpers/run-bin.js";
import { tempDir } from "../helpers/temp-dir.js";

/** Rows of each part file in the dataset, per row group, sorted. */
function partRows(dataset: string): number[][] {
  const files = readdirSync(dataset, { recursive: true, encoding: "utf8" }).filter((f) =>
    f.endsWith(".parquet"),
  );
  return files
    .map((file) => {
      const bytes = readFileSync(join(dataset, file));
      const meta = parquetMetadata(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
      );
      return meta.row_groups.map((group) => Number(group.num_rows));
    })
    .sort((a, b) => (b[0] ?? 0) - (a[0] ?? 0));
}

describe("compact", () => {
  it("--row-group-size N merges one writer's ten one-row files into files of N rows", async () => {
    const input = tempDir();
    const lines = Array.from({ length: 10 }, (_, i) =>
      eventLine({
        channel: "user",
        event: "e",
        timestamp: `2025-03-01T10:00:0${i}Z`,
        payload: { i },
      }),
    );
    writeFileSync(join(input, "user.jsonl"), `${lines.join("\n")}\n`);
    const dataset = join(tempDir(), "events");
    const one = ["--writer", "w1", "--row-group-size", "1", "-q"];
    const exported = await runCli(partitionedExportArgs(input, dataset, "channel,day", ...one));
    expect(exported.code).toBe(0);
    expect(partRows(dataset)).toHaveLength(10);
    const run = await runCli(["compact", dataset, "--row-group-size", "4"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^compacted 10 part files into 3 in 1 partition of .* \(10 rows\)\n$/,
    );
    expect(partRows(dataset)).toEqual([[4], [4], [2]]);
    // A full export replaces the writer's files with ten one-row files again; -q says nothing.
    expect((await runCli(partitionedExportArgs(input, dataset, "channel,day", ...one))).code).toBe(
      0,
    );
    expect(partRows(dataset)).toHaveLength(10);
    const quiet = await runCli(["compact", dataset, "--row-group-size", "4", "-q"]);
    expect(quiet).toMatchObject({ code: 0, stdout: "", stderr: "" });
    expect(partRows(dataset)).toEqual([[4], [4], [2]]);
  });

  // docs/cli.md: --row-group-size, "1 to 1,000,000 (else exit 2)", for compact as for export.
  it.each(["0", "1000001", "1.5", "-4"])(
    "--row-group-size %s is exit 2, the dataset left as it was",
    async (size) => {
      const input = tempDir();
      const lines = [1, 2].map((i) =>
        eventLine({ channel: "user", event: "e", timestamp: `2025-03-01T10:00:0${i}Z` }),
      );
      writeFileSync(join(input, "user.jsonl"), `${lines.join("\n")}\n`);
      const dataset = join(tempDir(), "events");
      const one = ["--writer", "w1", "--row-group-size", "1", "-q"];
      expect((await runBin(partitionedExportArgs(input, dataset, "day", ...one))).code).toBe(0);
      const before = readdirSync(dataset, { recursive: true }).sort();
      const run = await runBin(["compact", dataset, "--row-group-size", size]);
      expect({ code: run.code, stderr: run.stderr }).toEqual({
        code: 2,
        stderr: "error: --row-group-size must be a whole number from 1 to 1,000,000\n",
      });
      expect(readdirSync(dataset, { recursive: true }).sort()).toEqual(before);
      await expect(compactDataset({ dataset, rowGroupSize: Number(size) })).rejects.toMatchObject({
        code: "usage",
        path: ["rowGroupSize"],
      });
    },
  );

  it("a dataset missing or empty is exit 1; a directory of something else, exit 2", async () => {
    const base = tempDir();
    const missing = await runCli(["compact", join(base, "events")]);
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.stderr).toBe(
      `error: ${join(base, "events")} is not a shared dataset: it is missing\n`,
    );
    mkdirSync(join(base, "events"));
    const empty = await runCli(["compact", join(base, "events")]);
    expect(empty).toMatchObject({ code: 1 });
    expect(empty.stderr).toBe(
      `error: ${join(base, "events")} is not a shared dataset: it is empty\n`,
    );
    writeFileSync(join(base, "events", "notes.txt"), "mine");
    const other = await runCli(["compact", join(base, "events")]);
    expect(other).toMatchObject({ code: 2 });
    expect(other.stderr).toContain("is not a shared dataset (one written with a writer name)");
    expect(readdirSync(join(base, "events"))).toEqual(["notes.txt"]);
  });
});
