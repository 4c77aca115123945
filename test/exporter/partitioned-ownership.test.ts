import {
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportEvents } from "../../src/exporter/index.js";
import { runCli } from "../helpers/cli.js";
import { eventLine } from "../helpers/event-lines.js";
import { tempDir } from "../helpers/temp-dir.js";

function inputDir(): string {
  const input = tempDir();
  writeFileSync(join(input, "a.jsonl"), `${eventLine()}\n${eventLine({ event: "f" })}\n`);
  return input;
}

const exportTo = (input: string, out: string, ...extra: string[]) =>
  runCli(["export", "-i", input, "-f", "parquet", "--partition-by", "day", "-o", out, ...extra]);

const tree = (dir: string) => (readdirSync(dir, { recursive: true }) as string[]).sort();

describe("a partitioned export never deletes what it did not write", () => {
  it("refuses (exit 2) to replace a Spark output whose _SUCCESS is not ours, and leaves it whole", async () => {
    const out = join(tempDir(), "sparkout");
    mkdirSync(join(out, "year=2024"), { recursive: true });
    writeFileSync(join(out, "_SUCCESS"), "");
    writeFileSync(join(out, "year=2024/part-00000-abc.snappy.parquet"), "precious");
    writeFileSync(join(out, "important.csv"), "data");
    const before = tree(out);
    const run = await exportTo(inputDir(), out);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("not a partitioned export of telemetry-exporter");
    expect(tree(out)).toEqual(before);
    expect(readFileSync(join(out, "year=2024/part-00000-abc.snappy.parquet"), "utf8")).toBe(
      "precious",
    );
  });

  it.each([
    ["a note a user added", "NOTES.md", []],
    ["an etl's outputs", "telemetry_events.json", []],
    ["a file added in a partition folder", "day=2025-03-01/mine.txt", ["--incremental"]],
  ])(
    "refuses (exit 2) to replace an earlier export holding %s, and keeps it",
    async (_name, added, extra) => {
      const input = inputDir();
      const out = join(tempDir(), "ds");
      expect((await exportTo(input, out, ...extra)).code).toBe(0);
      writeFileSync(join(out, added), "mine");
      const before = tree(out);
      const run = await exportTo(input, out, ...extra);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`holds ${added}, which the previous export did not write`);
      expect(tree(out)).toEqual(before);
      expect(readFileSync(join(out, added), "utf8")).toBe("mine");
    },
  );

  it("replaces its own earlier export (plain and incremental): _SUCCESS lists every file written", async () => {
    const input = inputDir();
    const out = join(tempDir(), "ds");
    expect((await exportTo(input, out)).code).toBe(0);
    expect((await exportTo(input, out)).code).toBe(0);
    expect((await exportTo(input, out, "--incremental")).code).toBe(0);
    writeFileSync(join(input, "a.jsonl"), `${eventLine({ timestamp: "2025-03-02T00:00:00Z" })}\n`, {
      flag: "a",
    });
    expect((await exportTo(input, out, "--incremental")).code).toBe(0);
    const [header, ...listed] = readFileSync(join(out, "_SUCCESS"), "utf8").trimEnd().split("\n");
    expect(header).toBe("telemetry-exporter partitioned export; files written:");
    const files = tree(out).filter((f) => f !== "_SUCCESS" && statSync(join(out, f)).isFile());
    expect(listed).toEqual(files);
    expect(listed).toContain(".export-state.json");
  });

  it("refuses a file added while the export ran, when it would replace the directory", async () => {
    const input = inputDir();
    const out = join(tempDir(), "ds");
    expect((await exportTo(input, out)).code).toBe(0);
    let added = false;
    await expect(
      exportEvents({
        inputs: [input],
        output: out,
        format: "parquet",
        partitionBy: "day",
        onProgress: () => {
          if (added) return;
          added = true;
          writeFileSync(join(out, "late.txt"), "mine");
        },
      }),
    ).rejects.toThrow(/holds late\.txt/);
    expect(readFileSync(join(out, "late.txt"), "utf8")).toBe("mine");
    expect(readdirSync(join(out, ".."))).toEqual(["ds"]);
  });

  it("says what to do with -o naming a symbolic link to a folder (exit 2)", async () => {
    const root = tempDir();
    mkdirSync(join(root, "real"));
    symlinkSync(join(root, "real"), join(root, "link"));
    const run = await exportTo(inputDir(), join(root, "link"));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("is a symbolic link");
    expect(run.stderr).toContain("give a folder's own path");
  });
});
