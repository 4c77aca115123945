// The exit codes docs/cli.md gives, from the built bin as a real process, each with the message
// that says why, and in every command's --help. (Signals' codes: test/faults/exporter-interrupt.)
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/exporter/cli/command-table.js";
import { EXIT_CODES_HELP } from "../../src/exporter/cli/exit-codes.js";
import { runCli } from "../helpers/cli.js";
import { runBin } from "../helpers/run-bin.js";
import { recordSample } from "../helpers/sample-events.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("exit codes", () => {
  it.each(COMMANDS.map((c) => c.name))("%s --help ends with them", async (command) => {
    const run = await runCli([command, "--help"]);
    expect(run.code).toBe(0);
    // yargs wraps the table's long lines at the help's width.
    const words = (text: string) => text.trim().split(/\s+/).join(" ");
    expect(words(run.stdout).endsWith(words(EXIT_CODES_HELP))).toBe(true);
  });

  it("the bin exits with each, saying why on stderr", async () => {
    const input = tempDir();
    await recordSample(input, 6);
    const bad = tempDir();
    writeFileSync(join(bad, "app.jsonl"), "{bad\n");
    const typo = join(tempDir(), "reprots");
    const out = join(tempDir(), "e.json");
    const cases: [string[], number, string][] = [
      [["validate", "-i", input], 0, ""],
      [["validate", "-i", bad], 3, `${join(bad, "app.jsonl")}:1: invalid_json`],
      [["export", "-i", bad, "-o", out, "--strict"], 3, "invalid_json: "],
      [["validate", "-i", typo], 1, `error: no input exists: ${typo}; --input takes`],
      [["export", "-i", input, "-o", "/dev/full"], 1, "error: writing /dev/full failed (ENOSPC)"],
      [["export", "-i", input, "-o", out, "--formt", "json"], 2, "did you mean --format?"],
      [["export", "-i", input, "-o", out, "--row-group-size", "0"], 2, "error: --row-group-size"],
      [["export", "-i", input, "-o", join(input, "user.jsonl")], 2, "is also an input"],
    ];
    for (const [args, code, said] of cases) {
      const run = await runBin(args);
      expect({ args, code: run.code, said: run.stderr.includes(said) }).toEqual({
        args,
        code,
        said: true,
      });
    }
  });
});
