// Library errors name options as the API does and carry the option's path; the CLI shows flags.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/exporter/cli/command-table.js";
import { cliMessage, OPTION_FLAGS } from "../../src/exporter/cli/flag-names.js";
import { buildParser } from "../../src/exporter/cli/parser.js";
import { suggestCommand } from "../../src/exporter/cli/suggest.js";
import {
  aggregateEvents,
  exportEvents,
  runEtl,
  type TelemetryError,
} from "../../src/exporter/index.js";
import { runCli } from "../helpers/cli.js";
import { recordSample } from "../helpers/sample-events.js";
import { tempDir } from "../helpers/temp-dir.js";

function helpOf(args: string[]): Promise<string> {
  return new Promise((resolve) => {
    buildParser("0").parse(args, {}, (_e: unknown, _a: unknown, output: string) => resolve(output));
  });
}

async function failure(run: Promise<unknown>): Promise<TelemetryError> {
  try {
    await run;
  } catch (error) {
    return error as TelemetryError;
  }
  throw new Error("did not fail");
}

describe("errors carry option paths, the CLI shows flags", () => {
  it("maps every option to a flag some command takes", async () => {
    const helps = await Promise.all(COMMANDS.map((c) => helpOf([c.name, "--help"])));
    for (const flag of Object.values(OPTION_FLAGS)) {
      expect(helps.some((h) => h.includes(`${flag} `) || h.includes(`${flag},`))).toBe(true);
    }
    expect(cliMessage("`partitionBy` needs `format` parquet")).toBe(
      "--partition-by needs --format parquet",
    );
  });

  it.each([
    [
      "rowGroupSize",
      (output: string) => exportEvents({ output, format: "parquet", rowGroupSize: 0 }),
      ["export", "--format", "parquet", "--row-group-size", "0"],
      "--row-group-size must be a whole number from 1 to 1,000,000",
    ],
    [
      "maxLineBytes",
      (output: string) => aggregateEvents({ output, maxLineBytes: 0 }),
      ["aggregate", "--max-line-bytes", "0"],
      "--max-line-bytes must be a positive integer",
    ],
    [
      "partitionBy",
      (output: string) => exportEvents({ output, partitionBy: "day" }),
      ["export", "--partition-by", "day"],
      "--partition-by needs --format parquet",
    ],
    [
      "since",
      (output: string) => aggregateEvents({ output, filters: { since: "soon" } }),
      ["aggregate", "--since", "soon"],
      '--since "soon" is not an ISO 8601 date or date-time',
    ],
    [
      "until",
      (output: string) => aggregateEvents({ output, filters: { until: "2025-02-30" } }),
      ["aggregate", "--until", "2025-02-30"],
      '--until "2025-02-30" is not an ISO 8601 date or date-time (impossible date-time: 2025-02 has no day 30)',
    ],
    [
      "writer",
      (output: string) =>
        exportEvents({ output, format: "parquet", partitionBy: "channel", writer: ".hidden" }),
      ["export", "--format", "parquet", "--partition-by", "channel", "--writer", ".hidden"],
      "--writer must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit",
    ],
    [
      "host",
      (output: string) =>
        exportEvents({ output, format: "parquet", partitionBy: "channel", host: "web-1" }),
      ["export", "--format", "parquet", "--partition-by", "channel", "--host", "web-1"],
      "--host needs --writer (it names the host a writer runs on)",
    ],
    [
      "takeOverWriter",
      (output: string) =>
        exportEvents({ output, format: "parquet", partitionBy: "channel", takeOverWriter: true }),
      ["export", "--format", "parquet", "--partition-by", "channel", "--take-over-writer"],
      "--take-over-writer needs --writer (the name to take over)",
    ],
    [
      "workers",
      (output: string) => runEtl({ outputDir: output }, { workers: -1 }),
      ["etl", "--workers", "-1"],
      "--workers must be a whole number from 0 to 32 (got ",
    ],
  ] as const)("%s", async (name, api, args, shown) => {
    const input = tempDir();
    await recordSample(input, 3);
    const output = join(tempDir(), "out");
    const error = await failure(api(output));
    expect(error.code).toBe("usage");
    expect(error.path?.at(-1)).toBe(name);
    // The CLI names the option of the error's path by its flag.
    expect(shown).toContain(OPTION_FLAGS[name]);
    expect(error.message).not.toMatch(/--[a-z]/);
    const flag = args[0] === "etl" ? "--output-dir" : "--output";
    const run = await runCli([...args, "--input", input, flag, output]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(shown);
  });

  it("suggests from the command table", () => {
    expect(COMMANDS.map((c) => c.name)).toEqual([
      "export",
      "aggregate",
      "validate",
      "summary",
      "report",
      "etl",
      "compact",
    ]);
    expect(suggestCommand("exprot")).toBe("export");
    expect(suggestCommand("sumary")).toBe("summary");
    expect(suggestCommand("zzzzzzzz")).toBeUndefined();
  });
});
