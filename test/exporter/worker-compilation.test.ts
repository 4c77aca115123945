import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type CompilationContext,
  tuneWorkerCompilation,
  WORKER_COMPILATION_FLAG,
} from "../../src/exporter/cli/worker-compilation.js";
import { eventLine } from "../helpers/event-lines.js";
import { BIN } from "../helpers/run-bin.js";
import { finished } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";
import { ROOT } from "../setup/compiled-sources.js";

function context(cores: number, options = ""): CompilationContext & { set: string[] } {
  const set: string[] = [];
  return { cores, options, setFlag: (flag) => set.push(flag), set };
}

// V8 prints each optimizing compile with its mode; synchronous ones happen only in an isolate
// made without a background compiler (the main thread's has one).
const SYNCHRONOUS = "ConcurrencyMode::kSynchronous";

describe("tuneWorkerCompilation (how the CLI's worker threads compile)", () => {
  it("sets the flag when the default pool has a reader on every core", () => {
    for (const cores of [1, 2, 4]) {
      const given = context(cores);
      expect(tuneWorkerCompilation(given)).toBe(WORKER_COMPILATION_FLAG);
      expect(given.set).toEqual([WORKER_COMPILATION_FLAG]);
    }
  });

  it("leaves V8 alone with idle cores to compile on, or when V8 was told either way", () => {
    for (const given of [
      context(5),
      context(64),
      context(2, "--no-concurrent-recompilation"),
      context(2, "--max-old-space-size=512 --concurrent-recompilation"),
    ]) {
      expect(tuneWorkerCompilation(given)).toBeUndefined();
      expect(given.set).toEqual([]);
    }
  });

  it("reads V8's flags in either spelling, dashes or underscores", () => {
    for (const options of ["--concurrent_recompilation", "--no-concurrent_recompilation"]) {
      const given = context(2, options);
      expect(tuneWorkerCompilation(given)).toBeUndefined();
      expect(given.set).toEqual([]);
    }
  });

  it("leaves V8's flags alone when they are frozen: setting one would abort the process", () => {
    for (const options of ["--freeze-flags-after-init", "--freeze_flags_after_init"]) {
      const given = context(2, options);
      expect(tuneWorkerCompilation(given)).toBeUndefined();
      expect(given.set).toEqual([]);
    }
  });

  // What the tuning relies on: V8 reads the flag when it makes a thread's isolate, after start.
  it.each([
    [2, true],
    [64, false],
  ])(
    "with %i cores, worker threads made after it compile in their own thread: %s",
    async (cores, synchronous) => {
      const script = `
      const { setFlagsFromString } = require("node:v8");
      const { Worker } = require("node:worker_threads");
      const { tuneWorkerCompilation } = require(${JSON.stringify(join(ROOT, "bin/load-cli.cjs"))}).loadCli();
      tuneWorkerCompilation({ cores: ${cores}, options: "", setFlag: setFlagsFromString });
      const hot = "let s = 0; const f = (i) => (i * 31) ^ (i >>> 3); for (let i = 0; i < 3e6; i++) s += f(i);";
      new Worker(hot, { eval: true });
    `;
      const run = await finished(
        spawn(process.execPath, ["--trace-opt", "-e", script], {
          stdio: ["ignore", "pipe", "pipe"],
        }),
      );
      expect(run.code).toBe(0);
      expect(run.stdout.includes(SYNCHRONOUS)).toBe(synchronous);
    },
  );

  it.each([
    ["--freeze-flags-after-init", false],
    ["--concurrent_recompilation", false],
    ["--no-concurrent_recompilation", true],
  ])(
    "the bin started as `node %s` runs, its workers compiling as told (synchronous: %s)",
    async (flag, synchronous) => {
      const input = tempDir();
      const lines = Array.from({ length: 30_000 }, (_, k) =>
        eventLine({ event: `e${k % 7}`, payload: { k, text: "x".repeat(k % 400) } }),
      );
      writeFileSync(join(input, "events.jsonl"), `${lines.join("\n")}\n`);
      const output = join(tempDir(), "a.json");
      const args = ["aggregate", "-i", input, "--workers", "2", "-o", output, "-q"];
      const run = await finished(
        spawn("taskset", ["-c", "0", process.execPath, flag, "--trace-opt", BIN, ...args], {
          cwd: ROOT,
          stdio: ["ignore", "pipe", "pipe"],
        }),
      );
      expect(run.stderr).toBe("");
      expect([run.code, run.signal]).toEqual([0, null]);
      expect(JSON.parse(readFileSync(output, "utf8")).totals.valid).toBe(30_000);
      expect(run.stdout.includes(SYNCHRONOUS)).toBe(synchronous);
    },
  );

  // `taskset` limits the cores the bin sees (availableParallelism follows the affinity mask), so
  // the case is the same on any machine.
  it("is done by the bin: on 1 core, its reader threads compile in their own thread", async () => {
    const input = tempDir();
    // About 8 MB: more than one segment, so the two reader threads asked for start.
    const lines = Array.from({ length: 30_000 }, (_, k) =>
      eventLine({ event: `e${k % 7}`, payload: { k, text: "x".repeat(k % 400) } }),
    );
    writeFileSync(join(input, "events.jsonl"), `${lines.join("\n")}\n`);
    const args = [
      "aggregate",
      "-i",
      input,
      "--workers",
      "2",
      "-o",
      join(tempDir(), "a.json"),
      "-q",
    ];
    const run = await finished(
      spawn("taskset", ["-c", "0", process.execPath, "--trace-opt", BIN, ...args], {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      }),
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout.includes(SYNCHRONOUS)).toBe(true);
  });
});
