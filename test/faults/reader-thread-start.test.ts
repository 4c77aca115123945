// Reader threads that cannot start, in real processes of the built CLI: the threads are only a
// speed-up, so the run goes on with those that started, or in its main thread, and writes what
// a run that read every segment in its main thread writes: every event once, in input order,
// the same diagnostics, the same exit code. Before this held, such a run failed with "worker
// crashed: …" (a heap too small to load a thread's code), or printed "Worker initialization
// failure" and then hung, its threads that had started keeping the process alive.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventLine } from "../helpers/event-lines.js";
import {
  appendToInput,
  type CommandArgs,
  runWithFaults,
  snapshot,
  WRITING_COMMANDS,
  writeInput,
} from "../helpers/reader-faults.js";

// Each case runs the CLI a few times over 40 files: seconds, more on a busy host.
const TIMEOUT_MS = 120_000;

const COMMANDS: Record<string, CommandArgs> = {
  validate: (input) => ["validate", "-i", input],
  ...WRITING_COMMANDS,
};

// The real failures with every command; the injected ones, which take the pool's other path (the
// constructor throws), with a few.
const ALL = [...Object.keys(COMMANDS), "etl --incremental"];
const FAULTS: Record<string, { env: Record<string, string>; commands: readonly string[] }> = {
  "every thread's heap is too small for its code (ERR_WORKER_OUT_OF_MEMORY)": {
    env: { START_OOM: "all" },
    commands: ALL,
  },
  "the 1st and 3rd threads' heaps are too small for their code": {
    env: { START_OOM: "1,3" },
    commands: ALL,
  },
  "the OS refuses the 2nd thread (ERR_WORKER_INIT_FAILED, injected)": {
    env: { START_THROW: "2" },
    commands: ["export --format jsonl", "etl --incremental"],
  },
  "the OS refuses every thread (ERR_WORKER_INIT_FAILED, injected)": {
    env: { START_THROW: "all" },
    commands: ["validate", "export --format parquet"],
  },
};

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly files: Record<string, string>;
}

let root = "";
let input = "";
const expected = new Map<string, Outcome>();

/** `run` in a fresh `out` (the same path each time, as outputs are named on stderr). */
async function outcome(
  out: string,
  run: () => ReturnType<typeof runWithFaults>,
  skip: (path: string) => boolean = () => false,
): Promise<Outcome> {
  const { code, stdout, stderr } = await run();
  const files = Object.fromEntries(Object.entries(snapshot(out)).filter(([p]) => !skip(p)));
  return { code, stdout, stderr, files };
}

function fresh(dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

// An incremental ETL over its own input, then again after an event was appended to each file.
// Its state names each file by inode and birth time, which a new input does not keep: the state
// is checked by what the second run reads and writes.
async function incremental(env: Record<string, string>, workers: string): Promise<Outcome[]> {
  const own = join(root, "incremental-in");
  rmSync(own, { recursive: true, force: true });
  writeInput(own);
  const out = fresh(join(root, "incremental-out"));
  const args = ["etl", "--incremental", "-i", own, "--output-dir", out];
  const state = (path: string) => path.startsWith(".");
  const first = await outcome(out, () => runWithFaults(args, env, workers), state);
  appendToInput(own);
  const second = await outcome(out, () => runWithFaults(args, env, workers), state);
  return [first, second];
}

// One input for every test (tempDir's are removed after each test).
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "telemetry-test-"));
  input = join(root, "in");
  writeInput(input);
  // And one file of two segments (4 MiB each at most), read through one descriptor by two threads.
  const big = Array.from({ length: 26_000 }, (_, i) =>
    eventLine({ event: "big", payload: { i, pad: "p".repeat(80) } }),
  );
  writeFileSync(join(input, "z-big.jsonl"), `${big.join("\n")}\n`);
  // What every run must write: every segment read in the main thread (`--workers 0`).
  for (const [name, args] of Object.entries(COMMANDS)) {
    const out = fresh(join(root, "out"));
    expected.set(name, await outcome(out, () => runWithFaults(args(input, out), {}, "0")));
  }
  const [first, second] = await incremental({}, "0");
  expected.set("etl --incremental", first as Outcome);
  expected.set("etl --incremental, after appends", second as Outcome);
}, TIMEOUT_MS);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.each(Object.entries(FAULTS))("when %s", (_, { env, commands }) => {
  it(
    `${commands.join(", ")} write what the main thread alone writes, with the same diagnostics and exit code`,
    async () => {
      for (const name of commands) {
        const args = COMMANDS[name];
        if (args === undefined) continue;
        const out = fresh(join(root, "out"));
        const got = await outcome(out, () => runWithFaults(args(input, out), env));
        expect({ name, ...got }).toEqual({ name, ...expected.get(name) });
      }
      if (!commands.includes("etl --incremental")) return;
      const [first, second] = await incremental(env, "4");
      expect(first).toEqual(expected.get("etl --incremental"));
      expect(second).toEqual(expected.get("etl --incremental, after appends"));
      expect(second?.stderr).toMatch(/incremental: read [\d.]+ (KB|bytes) of/);
    },
    TIMEOUT_MS,
  );
});
