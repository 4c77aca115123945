import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parquetMetadata } from "hyparquet";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { sampleInput } from "../helpers/sample-events.js";
import { tempDir } from "../helpers/temp-dir.js";

// A Parquet export of `input` to `output` in row groups of `rows` rows.
const parquetWithRowGroups = (input: string, output: string, rows: string) => [
  ...["export", "-i", input, "-f", "parquet", "-o", output, "--row-group-size", rows],
];

describe("telemetry-exporter export", () => {
  it("writes the file, says so on stdout, and summarises on stderr", async () => {
    const { input, events } = await sampleInput();
    const output = join(tempDir(), "events.json");
    const run = await runCli(["export", "--input", input, "--format", "json", "--output", output]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`wrote ${events.length} events to ${output}\n`);
    expect(run.stderr).toContain(
      `read 3 files, ${events.length} lines: ${events.length} valid, 0 invalid`,
    );
    expect(JSON.parse(readFileSync(output, "utf8"))).toHaveLength(events.length);
  });

  it("--output - writes JSON Lines to stdout", async () => {
    const { input, events } = await sampleInput();
    const run = await runCli([
      "export",
      "-i",
      input,
      "-f",
      "jsonl",
      "-o",
      "-",
      "--channel",
      "user",
    ]);
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toEqual(events.filter((e) => e.channel === "user"));
  });

  it("keeps going past bad lines: exit 0, the problem named on stderr with file:line", async () => {
    const { input, events } = await sampleInput(true);
    const output = join(tempDir(), "events.json");
    const run = await runCli(["export", "-i", input, "-o", output]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("invalid_json: 1");
    expect(run.stderr).toMatch(/user\.jsonl:\d+: invalid_json/);
    expect(JSON.parse(readFileSync(output, "utf8"))).toHaveLength(events.length);
  });

  it("--strict: exit 3, the first error printed, the previous output untouched", async () => {
    const { input } = await sampleInput(true);
    const output = join(tempDir(), "events.json");
    writeFileSync(output, "previous");
    const run = await runCli(["export", "-i", input, "-o", output, "--strict"]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/error: .*user\.jsonl:\d+: invalid_json: .*\(--strict\)/);
    expect(readFileSync(output, "utf8")).toBe("previous");
  });

  it("--strict with a missing input: exit 1", async () => {
    const run = await runCli([
      "export",
      "-i",
      tempDir(),
      "-i",
      "/nonexistent/dir",
      "-o",
      join(tempDir(), "e.json"),
      "--strict",
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("input not found: /nonexistent/dir");
  });

  it("warns about a missing input when another exists, and says when no files were found", async () => {
    const output = join(tempDir(), "e.json");
    const run = await runCli(["export", "-i", tempDir(), "-i", "/nonexistent/dir", "-o", output]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("/nonexistent/dir: missing_input: input does not exist");
    expect(run.stderr).toContain("no input files found");
  });

  it("a file in the way of an output's folder is a usage error (exit 2) naming it", async () => {
    const { input } = await sampleInput();
    const blocker = join(tempDir(), "file");
    writeFileSync(blocker, "");
    const run = await runCli(["export", "-i", input, "-o", join(blocker, "sub", "e.json")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--output: ${blocker} is a file, not a directory`);
  });

  it("--quiet prints no summary; --diagnostics writes every diagnostic", async () => {
    const { input } = await sampleInput(true);
    const dir = tempDir();
    const run = await runCli([
      "export",
      "-i",
      input,
      "-o",
      join(dir, "e.json"),
      "-q",
      "--diagnostics",
      join(dir, "d.jsonl"),
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(JSON.parse(readFileSync(join(dir, "d.jsonl"), "utf8"))).toMatchObject({
      code: "invalid_json",
    });
  });

  it("--max-line-bytes reports longer lines as line_too_long", async () => {
    const { input } = await sampleInput();
    const run = await runCli(["validate", "-i", input, "--max-line-bytes", "50"]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("line_too_long");
  });

  it("writes Parquet in row groups of --row-group-size rows", async () => {
    const { input, events } = await sampleInput();
    const output = join(tempDir(), "e.parquet");
    const run = await runCli(parquetWithRowGroups(input, output, "10"));
    expect(run.code).toBe(0);
    const bytes = readFileSync(output);
    const meta = parquetMetadata(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
    );
    const rows = meta.row_groups.map((group) => Number(group.num_rows));
    expect(rows.length).toBe(Math.ceil(events.length / 10));
    expect(rows.slice(0, -1).every((n) => n === 10)).toBe(true);
    expect(rows.reduce((a, b) => a + b, 0)).toBe(events.length);
  });

  it.each(["0", "-3", "1.5", "1000001"])("refuses --row-group-size %s (exit 2)", async (value) => {
    const { input } = await sampleInput();
    const run = await runCli(parquetWithRowGroups(input, join(tempDir(), "e.parquet"), value));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--row-group-size must be a whole number from 1 to 1,000,000");
  });
});
