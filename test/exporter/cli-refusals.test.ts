import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runEtl } from "../../src/exporter/index.js";
import { runCli } from "../helpers/cli.js";
import { eventLine } from "../helpers/event-lines.js";
import { BIN } from "../helpers/run-bin.js";
import { tempDir } from "../helpers/temp-dir.js";

function inputDir(): string {
  const input = tempDir();
  writeFileSync(join(input, "a.jsonl"), `${eventLine()}\n`);
  return input;
}

describe("refusals and counts the CLI gets right", () => {
  it("--diagnostics - is a usage error (exit 2) and creates no file named -", async () => {
    const cwd = process.cwd();
    const dir = tempDir();
    process.chdir(dir);
    try {
      const run = await runCli(["validate", "-i", inputDir(), "--diagnostics", "-"]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--diagnostics "-" names no file');
      expect(run.stderr).toContain("/dev/stdout");
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  });

  it("aggregate -o - and report -o - are usage errors (exit 2) naming /dev/stdout, and create no file named -", async () => {
    const cwd = process.cwd();
    const dir = tempDir();
    const input = inputDir();
    process.chdir(dir);
    try {
      for (const command of ["aggregate", "report"]) {
        const run = await runCli([command, "-i", input, "-o", "-"]);
        expect(run.code).toBe(2);
        expect(run.stderr).toContain('--output "-" names no file');
        expect(run.stderr).toContain("/dev/stdout");
        expect(run.stdout).toBe("");
      }
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  });

  it("etl --output-dir - is a usage error (exit 2), and creates no directory named -", async () => {
    const cwd = tempDir();
    const input = inputDir();
    for (const mode of [[], ["--incremental"]]) {
      const run = spawnSync(
        process.execPath,
        [BIN, "etl", "-i", input, "--output-dir", "-", ...mode],
        { cwd, encoding: "utf8" },
      );
      expect({ code: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
        code: 2,
        stdout: "",
        stderr:
          'error: --output-dir "-" names no directory; give a path (the three files are written there, never to standard output)\n',
      });
    }
    expect(readdirSync(cwd)).toEqual([]);
    await expect(runEtl({ inputs: [input], outputDir: "-" })).rejects.toMatchObject({
      code: "usage",
      path: ["outputDir"],
    });
  });

  it("etl --incremental with a state path that is a directory: exit 2 before any output is written", async () => {
    const out = tempDir();
    mkdirSync(join(out, ".etl-state.json"));
    const run = await runCli(["etl", "-i", inputDir(), "--output-dir", out, "--incremental"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(".etl-state.json is a directory");
    expect(readdirSync(out)).toEqual([".etl-state.json"]);
  });

  it("etl --output-dir FILE: a usage error (exit 2) naming the file in the way", async () => {
    const file = join(tempDir(), "notadir");
    writeFileSync(file, "mine");
    const run = await runCli(["etl", "-i", inputDir(), "--output-dir", file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--output-dir: ${file} is a file, not a directory`);
    expect(existsSync(join(file, "telemetry_events.json"))).toBe(false);
  });
});
