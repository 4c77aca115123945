import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { eventLine } from "../helpers/event-lines.js";
import { tempDir } from "../helpers/temp-dir.js";

function inputDir(): string {
  const input = tempDir();
  writeFileSync(join(input, "a.jsonl"), `${eventLine()}\n`);
  return input;
}

describe("an output naming the run's own lock or state file", () => {
  // Inside the lock too: a directory while held, and a file written into it would keep the lock
  // from ever being removed (every later run busy).
  it.each([
    ["etl", ".etl.lock", []],
    ["etl --incremental", ".etl.lock", ["--incremental"]],
    ["etl", ".etl.lock/diagnostics.json", []],
  ])("%s --diagnostics DIR/%s: usage error (exit 2), nothing created", async (_n, name, extra) => {
    const out = join(tempDir(), "out");
    const run = await runCli([
      "etl",
      "-i",
      inputDir(),
      "--output-dir",
      out,
      "--diagnostics",
      join(out, name),
      ...extra,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--diagnostics");
    expect(run.stderr).toContain("is the run's own lock file");
    expect(existsSync(out)).toBe(false);
  });

  it("export --partition-by --diagnostics .NAME.lock: usage error (exit 2), nothing created", async () => {
    const parent = tempDir();
    const run = await runCli([
      "export",
      "-i",
      inputDir(),
      "-f",
      "parquet",
      "--partition-by",
      "day",
      "-o",
      join(parent, "ds"),
      "--diagnostics",
      join(parent, ".ds.lock"),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("is the run's own lock file");
    expect(readdirSync(parent)).toEqual([]);
  });

  it("etl --incremental --diagnostics DIR/.etl-state.json: usage error (exit 2), no state written", async () => {
    const out = join(tempDir(), "out");
    const run = await runCli([
      "etl",
      "-i",
      inputDir(),
      "--output-dir",
      out,
      "--incremental",
      "--diagnostics",
      join(out, ".etl-state.json"),
    ]);
    expect(run.code).toBe(2);
    expect(existsSync(join(out, ".etl-state.json"))).toBe(false);
    expect(existsSync(join(out, ".etl.lock"))).toBe(false);
  });
});
