// What the CLI says when the user got something wrong: a typo in an input, a filter that can
// never match, an unknown flag or command. Each through the CLI, as a user meets it.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { closestName } from "../../src/errors/did-you-mean.js";
import { commandNamed } from "../../src/exporter/cli/command-table.js";
import { flagNamesOf } from "../../src/exporter/cli/suggest.js";
import { runCli } from "../helpers/cli.js";
import { recordSample } from "../helpers/sample-events.js";
import { tempDir } from "../helpers/temp-dir.js";

async function sampleInput(): Promise<string> {
  const input = tempDir();
  await recordSample(input);
  return input;
}

describe("no input exists at all (a typo): exit 1 with a hint, nothing written", () => {
  const commands: [string, (out: string) => string[]][] = [
    ["export", (out) => ["-o", join(out, "e.json")]],
    ["aggregate", (out) => ["-o", join(out, "a.json")]],
    ["etl", (out) => ["--output-dir", join(out, "analytics")]],
    ["report", (out) => ["-o", join(out, "r.html")]],
    ["validate", () => []],
    ["summary", () => []],
  ];
  it.each(commands)("%s", async (command, outputs) => {
    const out = tempDir();
    const typo = join(tempDir(), "reprots", "telemetry");
    const run = await runCli([command, "-i", typo, ...outputs(out)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `error: no input exists: ${typo}; --input takes a directory of *.jsonl files, a file, or a glob`,
    );
    expect(readdirSync(out)).toEqual([]);
  });

  it("a glob that matches nothing counts as missing; the default input is named as such", async () => {
    const glob = join(tempDir(), "*.jsonl");
    const run = await runCli(["export", "-i", glob, "-o", join(tempDir(), "e.json")]);
    expect(run).toMatchObject({ code: 1 });
    expect(run.stderr).toContain(`no input exists: ${glob};`);
  });

  it("report and summary --from read no input, so none need exist (no reports/telemetry here)", async () => {
    const input = await sampleInput();
    const cwd = tempDir();
    const saved = join(cwd, "agg.json");
    expect((await runCli(["aggregate", "-i", input, "-o", saved, "-q"])).code).toBe(0);
    const bin = fileURLToPath(new URL("../../bin/telemetry-exporter.cjs", import.meta.url));
    for (const args of [
      ["report", "--from", saved, "-o", join(cwd, "r.html")],
      ["summary", "--from", saved],
    ]) {
      const run = spawnSync(process.execPath, [bin, ...args, "-q"], { cwd, encoding: "utf8" });
      expect({ args, code: run.status, stderr: run.stderr }).toEqual({ args, code: 0, stderr: "" });
    }
  });

  it("one input missing among existing ones stays a warning (exit 0)", async () => {
    const input = await sampleInput();
    const output = join(tempDir(), "e.json");
    const run = await runCli(["export", "-i", input, "-i", join(input, "nope"), "-o", output]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("missing_input: input does not exist");
    expect(existsSync(output)).toBe(true);
  });
});

describe("filters that can never match: exit 2, saying why", () => {
  it.each([
    [["--channel", "User"], '--channel "User" can never match: a channel must match'],
    [["--channel", "user", "--channel", "a/b"], '--channel "a/b" can never match'],
    [["--event", ""], '--event "" can never match: an event name is never empty'],
    [["--event", "bad\u0007name"], "an event name has no control characters"],
    [["--event", "x".repeat(201)], "an event name has at most 200 characters"],
    [
      ["--since", "2025-04-01", "--until", "2025-03-01"],
      '--since "2025-04-01" is not before --until "2025-03-01": no event can match',
    ],
    [["--since", "2025-03-01T10:00:00Z", "--until", "2025-03-01T10:00:00.000Z"], "is not before"],
  ])("%j", async (filters, message) => {
    const input = await sampleInput();
    const output = join(tempDir(), "e.json");
    writeFileSync(output, "previous");
    const run = await runCli(["export", "-i", input, "-o", output, ...filters]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it("a channel and an event the rules allow are fine, even when nothing matches", async () => {
    const input = await sampleInput();
    const args = ["--channel", "nobody", "--event", "never.seen", "--since", "2025-03-01"];
    const run = await runCli(["export", "-i", input, "-o", join(tempDir(), "e.json"), ...args]);
    expect(run.code).toBe(0);
  });
});

describe("unknown flags and commands", () => {
  it.each([
    [
      ["export", "--formt", "json", "-o", "x"],
      "unknown flag for export: --formt (did you mean --format?)",
    ],
    [
      ["export", "-o", "x", "--inptu", "d"],
      "unknown flag for export: --inptu (did you mean --input?)",
    ],
    [["exprot", "-i", "x", "-o", "y"], 'unknown command "exprot" (did you mean export?)'],
    [
      ["etl", "--partition-by", "day"],
      "unknown flag for etl: --partition-by (a flag of export, not of etl)",
    ],
    [["export", "-o", "x", "stray"], "unknown argument for export: stray"],
  ])("%j", async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    const first = run.stderr.split("\n")[0];
    expect(first).toBe(`error: ${message}`);
  });

  it("an unknown command is the only thing named, not the flags after it", async () => {
    const run = await runCli(["exprot", "-i", "x", "-o", "y"]);
    expect(run.stderr).not.toMatch(/\bi\b.*\bo\b|Unknown arguments/);
  });

  it("a misplaced dashed flag is named once, not also in camelCase", async () => {
    const run = await runCli(["etl", "--partition-by", "day"]);
    expect(run.stderr).not.toContain("partitionBy");
  });

  it("every command's flags are known to the suggester, aliases included", () => {
    const exportCommand = commandNamed("export");
    if (exportCommand === undefined) throw new Error("no export command");
    const names = flagNamesOf(exportCommand);
    for (const flag of ["input", "i", "format", "f", "output", "o", "partition-by", "help"]) {
      expect(names).toContain(flag);
    }
  });

  it("one edit-distance helper serves the SDK and the CLI", () => {
    expect(closestName("flushIntervalMS", ["flushIntervalMs", "channel"])).toBe("flushIntervalMs");
    expect(closestName("exprot", ["export", "etl"])).toBe("export");
    expect(closestName("zzzzzzzz", ["export", "etl"])).toBeUndefined();
  });
});
