import { spawnSync } from "node:child_process";
import { cpSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/exporter/cli/command-table.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("telemetry-exporter --help", () => {
  it("every command's --help examples run on the shipped sample data (exit 0, nothing on stderr)", async () => {
    const cwd = tempDir();
    cpSync(join(root, "reports", "telemetry"), join(cwd, "reports", "telemetry"), {
      recursive: true,
    });
    const bin = join(root, "bin", "telemetry-exporter.cjs");
    const run = (args: string[]) =>
      spawnSync(process.execPath, [bin, ...args, "-q"], { cwd, encoding: "utf8" });
    // What the examples read: the aggregate report `etl` writes, a dataset of a writer's.
    const dataset = join(cwd, "mnt", "telemetry", "events");
    const writer = ["-f", "parquet", "--partition-by", "day", "--writer", "w1", "-o", dataset];
    for (const setup of [["etl"], ["export", ...writer]]) expect(run(setup).status).toBe(0);
    const examples: string[] = [];
    for (const command of COMMANDS) {
      const help = (await runCli([command.name, "--help"])).stdout;
      const block = /^Examples:\n((?: {2}\S.*\n)+)/m.exec(help)?.[1] ?? "";
      examples.push(...block.split("\n").filter((line) => line !== ""));
    }
    expect(examples.length).toBeGreaterThan(5);
    for (const line of examples) {
      const args = line
        .trim()
        .split(/\s+/)
        .slice(1)
        .map((w) => w.replace(/^\/(tmp|mnt)\//, `${cwd}/$1/`));
      const result = run(args);
      expect({ line, code: result.status, stderr: result.stderr }).toEqual({
        line,
        code: 0,
        stderr: "",
      });
    }
  });
});
