import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { sampleInput } from "../helpers/sample-events.js";
import { tempDir } from "../helpers/temp-dir.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version as string;

describe("telemetry-exporter: help, version, usage errors (exit 2)", () => {
  it("--help lists the commands and the exit codes", async () => {
    const run = await runCli(["--help"]);
    expect(run.code).toBe(0);
    for (const word of [
      "export",
      "aggregate",
      "validate",
      "etl",
      "Exit codes:",
      "0  success",
      "1  I/O or other failure",
      "2  usage error",
      "3  invalid records",
    ]) {
      expect(run.stdout).toContain(word);
    }
  });

  it.each(["export", "aggregate", "validate", "etl"])(
    "%s --help documents its flags",
    async (command) => {
      const run = await runCli([command, "--help"]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("--input");
      expect(run.stdout).toContain("--strict");
    },
  );

  it("the pre-rendered --help (used by the bin to skip loading yargs) is current (make help-text)", async () => {
    const help = JSON.parse(readFileSync(join(root, "bin/help.json"), "utf8")) as { main: string };
    expect((await runCli(["--help"])).stdout).toBe(`${help.main}\n`);
  });

  it("--version prints the package version", async () => {
    const run = await runCli(["--version"]);
    expect(run).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it.each([
    [[], "give a command"],
    [["exprt"], 'unknown command "exprt"'],
    [["export"], "give --output a file path"],
    [
      ["export", "-o", "x.json", "--format", "csv"],
      '--format "csv" is not one of "json", "jsonl", "parquet"',
    ],
    [["validate", "--no-such-flag"], "unknown flag for validate: --no-such-flag"],
  ])("%j exits 2 with a message and a pointer to --help", async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain("Run telemetry-exporter --help");
    expect(run.stdout).toBe("");
  });

  it("suggests the command meant by a typo", async () => {
    expect((await runCli(["exprt"])).stderr).toContain("did you mean export?");
  });

  it("refuses Parquet to stdout (exit 2)", async () => {
    const { input } = await sampleInput();
    const run = await runCli(["export", "-i", input, "--format", "parquet", "-o", "-"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "Parquet cannot be written to a stream; give --output a file path",
    );
  });

  it("refuses an output that is an input (exit 2)", async () => {
    const { input } = await sampleInput();
    const run = await runCli([
      "export",
      "-i",
      input,
      "--format",
      "jsonl",
      "-o",
      join(input, "user.jsonl"),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("is also an input");
  });

  it("rejects a bad --since (exit 2)", async () => {
    const { input } = await sampleInput();
    const run = await runCli([
      "export",
      "-i",
      input,
      "-o",
      join(tempDir(), "x.json"),
      "--since",
      "tomorrow",
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--since");
  });
});

describe("telemetry-exporter validate, aggregate, etl", () => {
  it("validate: exit 0 when every record is valid", async () => {
    const { input, events } = await sampleInput();
    const run = await runCli(["validate", "-i", input]);
    expect(run).toMatchObject({ code: 0, stdout: `all ${events.length} records are valid\n` });
  });

  it("validate: exit 3 on an invalid record", async () => {
    const { input } = await sampleInput(true);
    const run = await runCli(["validate", "-i", input]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("invalid_json");
  });

  it("validate: exit 1 when an input is missing", async () => {
    const run = await runCli(["validate", "-i", "/nonexistent/dir"]);
    expect(run.code).toBe(1);
  });

  it("aggregate --output writes the report", async () => {
    const { input, events } = await sampleInput();
    const output = join(tempDir(), "agg.json");
    const run = await runCli(["aggregate", "-i", input, "-o", output, "--event", "sim:tick"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `wrote aggregates of ${events.filter((e) => e.event === "sim:tick").length} events to ${output}`,
    );
    expect(JSON.parse(readFileSync(output, "utf8")).filters).toEqual({ events: ["sim:tick"] });
  });

  it("etl --output-dir writes both files", async () => {
    const { input } = await sampleInput();
    const dir = join(tempDir(), "analytics");
    const run = await runCli(["etl", "-i", input, "--output-dir", dir, "--until", "2025-03-03"]);
    expect(run.code).toBe(0);
    expect(existsSync(join(dir, "telemetry_events.json"))).toBe(true);
    expect(existsSync(join(dir, "telemetry_aggregates.json"))).toBe(true);
    expect(run.stdout).toContain(join(dir, "telemetry_aggregates.json"));
  });
});

describe("telemetry-exporter on a terminal", () => {
  it("colours messages on a TTY, never with NO_COLOR, never off a TTY", async () => {
    const { input } = await sampleInput(true);
    const args = ["validate", "-i", input];
    expect((await runCli(args, { tty: true })).stderr).toContain("\x1b[31merror");
    // NO_COLOR turns off colours (SGR codes); the progress line may still clear itself.
    const sgr = /\x1b\[[\d;]*m/;
    expect((await runCli(args, { tty: true, env: { NO_COLOR: "1" } })).stderr).not.toMatch(sgr);
    expect((await runCli(args)).stderr).not.toContain("\x1b[");
  });

  it("shows progress on a TTY only, and not with --quiet", async () => {
    const { input } = await sampleInput();
    expect(
      (await runCli(["validate", "-i", input], { tty: true, env: { NO_COLOR: "1" } })).stderr,
    ).toContain("reading ");
    expect((await runCli(["validate", "-i", input])).stderr).not.toContain("reading ");
    expect((await runCli(["validate", "-i", input, "-q"], { tty: true })).stderr).toBe("");
  });
});

describe("the built bin", () => {
  it("runs as a process: exit codes and output as in-process", async () => {
    const bin = join(root, "bin/telemetry-exporter.cjs");
    const built = join(root, "dist/exporter/cli/main.js");
    if (!existsSync(built))
      execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: root });
    const { input } = await sampleInput(true);
    const ok = spawnSync(process.execPath, [bin, "export", "-i", input, "-f", "jsonl", "-o", "-"], {
      encoding: "utf8",
    });
    expect(ok.status).toBe(0);
    expect(ok.stdout.trimEnd().split("\n").length).toBeGreaterThan(10);
    const strict = spawnSync(process.execPath, [bin, "validate", "-i", input, "--strict"], {
      encoding: "utf8",
    });
    expect(strict.status).toBe(3);
    const usage = spawnSync(process.execPath, [bin, "--bogus"], { encoding: "utf8" });
    expect(usage.status).toBe(2);
    // --help comes from the bin itself, without the CLI: the same text.
    const inProcess = (await runCli(["--help"])).stdout;
    for (const flag of ["--help", "-h"]) {
      const help = spawnSync(process.execPath, [bin, flag], { encoding: "utf8" });
      expect(help).toMatchObject({ status: 0, stdout: inProcess });
    }
  });
});

describe("defaults shared by the two sides", () => {
  it("the exporter reads where the Tracker writes, with the Tracker's event size limit", async () => {
    const { DEFAULT_INPUTS, DEFAULT_MAX_LINE_BYTES } = await import("../../src/exporter/index.js");
    const { DEFAULT_MAX_EVENT_BYTES } = await import("../../src/index.js");
    const { resolveTrackerOptions } = await import("../../src/tracker/options.js");
    expect(DEFAULT_INPUTS).toEqual([resolveTrackerOptions({}).directory]);
    expect(DEFAULT_MAX_LINE_BYTES).toBe(DEFAULT_MAX_EVENT_BYTES);
  });
});
