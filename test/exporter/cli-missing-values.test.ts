// A flag typed without its value, and yargs' own usage errors, as a user meets them: exit 2, one
// line saying what is wrong, nothing read or written. Before, `-i` or `--format` with no value
// silently fell back to the default and exited 0, and some messages showed `\u{a}` for a newline.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/exporter/cli/command-table.js";
import { exportEvents, validateEvents } from "../../src/exporter/index.js";
import { runCli } from "../helpers/cli.js";
import { declaredFlags } from "../helpers/declared-flags.js";
import { recordSample } from "../helpers/sample-events.js";
import { tempDir } from "../helpers/temp-dir.js";

async function sampleInput(): Promise<string> {
  const input = tempDir();
  await recordSample(input);
  return input;
}

describe("a value flag without its value is a usage error (exit 2), nothing written", () => {
  const cases: [string, (input: string, out: string) => string[]][] = [
    ["-i", (_input, out) => ["export", "-o", out, "-i"]],
    ["-i", (_input, out) => ["export", "-i", "-o", out]],
    ["--input", (_input, out) => ["export", "-o", out, "--input", "--strict"]],
    ["--channel", (input, out) => ["export", "-i", input, "-o", out, "--channel"]],
    ["--event", (input, out) => ["export", "-i", input, "-o", out, "--event", "-q"]],
    ["--format", (input, out) => ["export", "-i", input, "-o", out, "--format"]],
    ["--format", (input, out) => ["export", "-i", input, "--format", "-o", out]],
    ["--since", (input, out) => ["export", "-i", input, "-o", out, "--since"]],
    ["--until", (input, out) => ["export", "-i", input, "-o", out, "--until"]],
    ["--workers", (input, out) => ["export", "-i", input, "-o", out, "--workers"]],
    ["--max-line-bytes", (input, out) => ["export", "-i", input, "-o", out, "--max-line-bytes"]],
    ["--row-group-size", (input, out) => ["export", "-i", input, "-o", out, "--row-group-size"]],
    ["--partition-by", (input, out) => ["export", "-i", input, "-o", out, "--partition-by"]],
    ["--lock-wait", (input, out) => ["export", "-i", input, "-o", out, "--lock-wait"]],
    ["--title", (input, out) => ["report", "-i", input, "-o", out, "--title"]],
    ["--from", (_input, out) => ["report", "-o", out, "--from"]],
    ["--from", () => ["summary", "--from"]],
  ];
  it.each(cases)("%s: %#", async (flag, argsOf) => {
    const out = join(tempDir(), "out");
    const run = await runCli(argsOf(await sampleInput(), out));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `error: ${flag} needs a value\nRun telemetry-exporter --help for usage.\n`,
    );
    expect(run.stdout).toBe("");
    expect(existsSync(out)).toBe(false);
  });

  // Every flag that takes a value, of every command, given last with none.
  const valueFlags = COMMANDS.flatMap((command) =>
    [...declaredFlags(command)]
      .filter(([, config]) => config.type !== "boolean")
      .map(([flag]) => [command.name, flag] as const),
  );
  it.each(valueFlags)("%s --%s, last", async (command, flag) => {
    const out = join(tempDir(), "out");
    const before = command === "compact" ? [out] : command === "export" ? ["-o", out] : [];
    const run = await runCli([command, ...(flag === "output" ? [] : before), `--${flag}`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `error: --${flag} needs a value\nRun telemetry-exporter --help for usage.\n`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it("`-` as an input says that standard input is not read", async () => {
    for (const args of [
      ["export", "-i", "-", "-o", "out.json"],
      ["validate", "--input", "-"],
    ]) {
      const run = await runCli(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        `error: ${args[1]} -: standard input is not read; give files or directories (save a pipe to a file first)\nRun telemetry-exporter --help for usage.\n`,
      );
    }
  });

  it("a value that is `-` is a value, not a missing one", async () => {
    const run = await runCli(["export", "-i", await sampleInput(), "-o", "-", "-f", "jsonl"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"schema_version":"telemetry_event_v1"');
  });
});

describe("yargs' usage errors are said on one line, with flags as typed (exit 2)", () => {
  it.each([
    [["export"], "missing --output: give --output a file path (or - for stdout with json/jsonl)"],
    [
      ["export", "-o", "x.json", "--format", "xml"],
      '--format "xml" is not one of "json", "jsonl", "parquet"',
    ],
    [
      ["export", "-o", "x", "-f", "parquet", "--partition-by", "week"],
      '--partition-by "week" is not one of "day", "channel", "channel,day"',
    ],
    [
      ["summary", "--from", "x.json", "--channel", "user"],
      "--from and --channel are mutually exclusive (--from shows a saved report and reads no input); give one of them",
    ],
    [["compact"], "missing argument: telemetry-exporter compact <dataset>"],
    // --from reads no input: every flag about reading one conflicts with it (docs/cli.md).
    ...["summary", "report"].flatMap((command) =>
      [
        ["--input", "in"],
        ["--channel", "user"],
        ["--event", "e"],
        ["--since", "2025-03-01"],
        ["--until", "2025-03-01"],
        ["--diagnostics", "d.jsonl"],
      ].map(([flag, value]) => [
        [command, "--from", "x.json", flag as string, value as string],
        `--from and ${flag} are mutually exclusive (--from shows a saved report and reads no input); give one of them`,
      ]),
    ),
  ] as [string[], string][])("%j", async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`error: ${message}\nRun telemetry-exporter --help for usage.\n`);
  });
});

describe("--lock-wait is checked even when the export takes no lock", () => {
  // docs/cli.md: "Negative or not a number: exit 2". An empty value is not a number: yargs
  // would read it as 0, a wait that fails at once.
  it.each(["-1", "-0.5", "-0.0001", "abc", "", " ", "1e400"])(
    "--lock-wait %j on a single-file export is exit 2, nothing written",
    async (seconds) => {
      const out = join(tempDir(), "e.json");
      const input = await sampleInput();
      const run = await runCli(["export", "-i", input, "-o", out, "--lock-wait", seconds]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        `error: --lock-wait must be a number of seconds, 0 or more (got ${JSON.stringify(seconds)})\n`,
      );
      expect(existsSync(out)).toBe(false);
    },
  );

  // The flag is in seconds, a fraction too: its message never says "whole number".
  it.each(["0", "0.5", ".25", "30", "1e1"])(
    "--lock-wait %s is a wait in seconds, accepted",
    async (s) => {
      const out = join(tempDir(), "e.json");
      const run = await runCli([
        "export",
        "-i",
        await sampleInput(),
        "-o",
        out,
        "-q",
        "--lock-wait",
        s,
      ]);
      expect(run).toMatchObject({ code: 0, stderr: "" });
      expect(existsSync(out)).toBe(true);
    },
  );

  it("the API refuses it with the option's path", async () => {
    const output = join(tempDir(), "e.json");
    await expect(
      exportEvents({ inputs: [await sampleInput()], output, lockWaitMs: -1 }),
    ).rejects.toMatchObject({ code: "usage", path: ["lockWaitMs"] });
    expect(existsSync(output)).toBe(false);
  });
});

describe("an empty --input is a usage error (exit 2), like an empty --output", () => {
  it.each([
    [["export", "-o", "OUT", "-i", ""]],
    [["export", "-o", "OUT", "-i", "INPUT", "-i", ""]],
    [["validate", "-i", ""]],
  ])("%j", async (args) => {
    const out = join(tempDir(), "e.json");
    const input = await sampleInput();
    const run = await runCli(args.map((a) => (a === "OUT" ? out : a === "INPUT" ? input : a)));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("error: --input cannot hold an empty path\n");
    expect(existsSync(out)).toBe(false);
  });

  it("the API names the input's position", async () => {
    await expect(validateEvents({ inputs: [await sampleInput(), ""] })).rejects.toMatchObject({
      code: "usage",
      path: ["inputs", 1],
    });
  });
});
