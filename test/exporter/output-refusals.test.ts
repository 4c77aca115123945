// Outputs docs/cli.md ("Outputs") refuses with exit 2 before anything is read, beyond those of
// output-rules.test.ts: an existing directory or a path ending in /, a socket, and a diagnostics
// file inside a partitioned export's directory. What is in the way is left as it was.
import { existsSync, lstatSync, mkdirSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { partitionedExportArgs, runCli } from "../helpers/cli.js";
import { runBin } from "../helpers/run-bin.js";
import { recordSample } from "../helpers/sample-events.js";
import { tempDir } from "../helpers/temp-dir.js";

async function sampleInput(): Promise<string> {
  const input = tempDir();
  await recordSample(input, 6);
  return input;
}

describe("outputs refused before anything is read (exit 2)", () => {
  it.each(["export", "aggregate", "report"])(
    "%s -o DIR: an existing directory",
    async (command) => {
      const input = await sampleInput();
      const dir = join(tempDir(), "out");
      mkdirSync(dir);
      const run = await runCli([command, "-i", input, "-o", dir, "-q"]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`error: --output ${dir} is a directory; give a file path\n`);
      expect(readdirSync(dir)).toEqual([]);
    },
  );

  // A path ending in / names a directory: no file can be written there. It was read to the
  // end, then failed with exit 1 ("cannot replace out/ (ENOTDIR)").
  it.each([
    ["export", "--output"],
    ["aggregate", "--output"],
    ["report", "--output"],
    ["validate", "--diagnostics"],
  ])("%s %s out/: a directory that is not there yet", async (command, flag) => {
    const input = await sampleInput();
    const base = tempDir();
    const out = `${join(base, "out")}/`;
    const run = await runBin([command, "-i", input, flag, out, "-q"]);
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
      code: 2,
      stdout: "",
      stderr: `error: ${flag} ${out} names a directory (a trailing /); give a file path\n`,
    });
    expect(readdirSync(base)).toEqual([]);
  });

  it("a socket (neither a file, a character device nor a FIFO)", async () => {
    const input = await sampleInput();
    const socket = join(tempDir(), "out.sock");
    const server = createServer();
    await new Promise<void>((listening) => server.listen(socket, listening));
    try {
      const run = await runCli(["export", "-i", input, "-o", socket, "-q"]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        `error: output ${socket} is not a regular file, a character device or a FIFO\n`,
      );
      expect(lstatSync(socket).isSocket()).toBe(true);
    } finally {
      await new Promise((closed) => server.close(closed));
    }
  });

  it("--diagnostics inside the --partition-by output directory", async () => {
    const input = await sampleInput();
    const out = join(tempDir(), "parts");
    const diagnostics = join(out, "diagnostics.jsonl");
    const run = await runCli([
      ...partitionedExportArgs(input, out, "day"),
      "--diagnostics",
      diagnostics,
      "-q",
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error: --diagnostics ${diagnostics} is also --output ${out}`);
    expect(existsSync(out)).toBe(false);
  });
});
