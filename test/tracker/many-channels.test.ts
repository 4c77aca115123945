import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TelemetryError, Tracker } from "../../src/index.js";
import { readLines } from "../helpers/read-lines.js";
import { type ChildResult, finished, fixtureCommand, runTs } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";
import { ROOT } from "../setup/compiled-sources.js";

/** Runs a TypeScript fixture with at most `limit` open descriptors (`ulimit -n`). */
function runWithFdLimit(limit: number, script: string, args: string[]): Promise<ChildResult> {
  const command = fixtureCommand(script, args);
  const shell = `ulimit -n ${limit} && exec "$0" "$@"`;
  return finished(
    spawn("sh", ["-c", shell, ...command], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] }),
  );
}

describe("many channels", () => {
  it.each([
    ["default maxOpenFiles (64)", "default", 64],
    ["maxOpenFiles 8", "8", 8],
  ])(
    "1,000 channels under ulimit -n 256 (%s): every event written, the host keeps its descriptors",
    async (_, maxOpen, bound) => {
      const directory = tempDir();
      const result = await runWithFdLimit(256, "test/fixtures/processes/many-channels.ts", [
        directory,
        "1000",
        maxOpen,
      ]);
      expect(result.code, result.stderr).toBe(0);
      const report = JSON.parse(result.stdout);
      expect(report.stats).toMatchObject({ recorded: 1000, written: 1000, dropped: 0, errors: 0 });
      expect(report.ownFds).toBe(bound);
      expect(report.listed).toBe(1000);
      expect(report.hostOpened).toBe(100);
      const files = readdirSync(directory);
      expect(files).toHaveLength(1000);
      for (let c = 0; c < 1000; c++) {
        const events = readLines(join(directory, `ch-${c}.jsonl`)).map((l) => JSON.parse(l));
        expect(events.map((e) => [e.event, e.payload.c])).toEqual([
          ["first", c],
          ["second", c],
        ]);
      }
    },
  );

  it("under a limit of 64 files, by default a quarter of it: the host keeps the rest", async () => {
    const directory = tempDir();
    // 40 channels: fewer than the limit, so the tracker never meets EMFILE itself (which makes it
    // give descriptors back) and, with the old default of 64, kept all 40 open.
    const result = await runTs("test/fixtures/processes/many-channels.ts", [
      directory,
      "40",
      "default",
      "64",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.stats).toMatchObject({ recorded: 40, written: 40, dropped: 0, errors: 0 });
    // 40 open channel files left the host a handful (an adversary's find: its open failed).
    expect(report.ownFds).toBe(16);
    expect(report.hostOpened).toBeGreaterThanOrEqual(20);
    expect(readdirSync(directory)).toHaveLength(40);
  });

  it("gives its own descriptors back when the process has none left (EMFILE), and writes", async () => {
    const directory = tempDir();
    const result = await runWithFdLimit(128, "test/fixtures/processes/descriptors-exhausted.ts", [
      directory,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.hostFds).toBeGreaterThan(0);
    expect(report.stats).toMatchObject({ recorded: 33, written: 33, dropped: 0, errors: 0 });
    expect(readLines(join(directory, "fresh.jsonl"))).toHaveLength(1);
  });

  it("keeps one encoding buffer, not one per channel: memory falls back after a flush", async () => {
    const directory = tempDir();
    const channels = 100;
    const result = await runTs("test/fixtures/processes/large-events.ts", [
      directory,
      String(channels),
      "1000000",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ pendingBefore: channels, written: channels });
    // One buffer per channel kept about channels x 1 MB; one shared buffer keeps about 1 MB.
    expect(report.arrayBuffers).toBeLessThan(8 * 1024 * 1024);
  });

  it("rejects a maxOpenFiles that is not a positive integer", () => {
    for (const maxOpenFiles of [0, -1, 1.5, Number.NaN]) {
      expect(() => new Tracker({ directory: tempDir(), maxOpenFiles })).toThrow(TelemetryError);
    }
  });
});
