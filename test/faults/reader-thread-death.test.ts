// A reader thread that ends after it started, in real processes of the built CLI: out of its
// heap (a real ERR_WORKER_OUT_OF_MEMORY under the pool's resourceLimits), an uncaught error, or
// process.exit in the thread, each on the segment of f005.jsonl. The run fails with an error that
// names the segment and the way out (`--workers 0`), and leaves every output and the incremental
// state as the run before left them, byte for byte, with nothing beside them. Before, the run
// failed with "worker crashed: …", naming neither.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readerStopped } from "../../src/exporter/engine/reader-stopped.js";
import type { SegmentTask } from "../../src/exporter/engine/segment.js";
import type { Segment } from "../../src/exporter/plan/segment-types.js";
import {
  appendToInput,
  type CommandArgs,
  FILES,
  PER_FILE,
  runWithFaults,
  snapshot,
  WRITING_COMMANDS,
  writeInput,
} from "../helpers/reader-faults.js";

const TIMEOUT_MS = 120_000;

const COMMANDS = WRITING_COMMANDS;

// Every command for the real out-of-memory end; the others, which the pool sees the same way
// (an 'error' or 'exit' event after the thread said it was ready), with one export each.
const DEATHS: Record<string, { how: string; cause: RegExp; commands: readonly string[] }> = {
  "runs out of its heap": {
    how: "oom",
    cause: /Worker terminated due to reaching memory limit: JS heap out of memory/,
    commands: Object.keys(COMMANDS),
  },
  "throws an uncaught error": {
    how: "throw",
    cause: /injected crash in segment 5/,
    commands: ["export --format jsonl"],
  },
  "ends itself (process.exit in the thread)": {
    how: "exit",
    cause: /worker exited with code 7/,
    commands: ["export --format parquet"],
  },
};

let root = "";

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "telemetry-test-"));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function fresh(name: string): string {
  const dir = join(root, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

function expectStopped(result: { code: number | null; stderr: string }, cause: RegExp): void {
  expect(result.code, result.stderr).toBe(1);
  expect(result.stderr).toMatch(
    /^error: a reader thread stopped while it read \S+f005\.jsonl \(bytes \d+ to \d+\): /,
  );
  expect(result.stderr).toMatch(cause);
  expect(result.stderr).toContain(
    "No output file or state was replaced; --workers 0 reads every segment in this thread instead",
  );
}

describe.each(Object.entries(DEATHS))(
  "a reader thread that %s mid-run",
  (_, { how, cause, commands }) => {
    const die = { DIE_AT: "5", DIE_HOW: how };

    it(
      `fails validate and ${commands.join(", ")}, leaving their outputs as they were`,
      async () => {
        const input = fresh("in");
        writeInput(input);
        const validate = await runWithFaults(["validate", "-i", input], die);
        expectStopped(validate, cause);
        for (const name of commands) {
          const args = COMMANDS[name] as CommandArgs;
          const out = fresh("out");
          const before = await runWithFaults(args(input, out), {});
          expect({ name, code: before.code }).toEqual({ name, code: 0 });
          const written = snapshot(out, false);
          expectStopped(await runWithFaults(args(input, out), die), cause);
          expect({ name, files: snapshot(out, false) }).toEqual({ name, files: written });
        }
      },
      TIMEOUT_MS,
    );

    it(
      "fails etl --incremental, leaving its outputs and state as they were for the next run",
      async () => {
        const input = fresh("incremental-in");
        writeInput(input);
        const out = fresh("incremental-out");
        const args = ["etl", "--incremental", "-i", input, "--output-dir", out];
        expect((await runWithFaults(args, {})).code).toBe(0);
        appendToInput(input);
        const written = snapshot(out, false);
        expectStopped(await runWithFaults(args, die), cause);
        expect(snapshot(out, false)).toEqual(written);
        // The next run takes up from the state the last good run saved: what was appended, once.
        const next = await runWithFaults(args, {});
        expect(next.code, next.stderr).toBe(0);
        expect(next.stderr).toMatch(/incremental: read [\d.]+ (KB|bytes) of/);
        const events = JSON.parse(readFileSync(join(out, "telemetry_events.json"), "utf8")) as {
          payload: { f: number; i: number };
        }[];
        const keys = events.map(({ payload: { f, i } }) => `${f}.${i}`);
        expect(new Set(keys).size).toBe(FILES * (PER_FILE + 1));
        expect(keys).toHaveLength(FILES * (PER_FILE + 1));
      },
      TIMEOUT_MS,
    );
  },
);

// docs/api.md: from code, such a run "rejects the call with an `io_error` whose `path` is
// `["workers"]`, naming the segment it read"; the CLI shows `workers` as --workers (above).
describe("the error of a reader thread that stopped", () => {
  it('is an io_error with the path ["workers"], naming the segment and the way out', () => {
    const segment = { path: "/in/f005.jsonl", start: 4, end: 9 } as Segment;
    const task = { segment } as SegmentTask;
    const error = readerStopped(new Error("gone"), task);
    expect(error).toMatchObject({ code: "io_error", path: ["workers"] });
    expect(error.message).toBe(
      "a reader thread stopped while it read /in/f005.jsonl (bytes 4 to 9): gone. No output file or state was replaced; `workers` 0 reads every segment in this thread instead",
    );
  });
});
