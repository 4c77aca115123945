// Retention deletes a new segment while an incremental run reads (after it identified the file,
// before it read it). Such a run used to remove the previous state, so the next run was a full
// one ("no state yet") that dropped every archived file's events from the outputs without naming
// them. Then it kept the previous state, taking the file for one not read to its end: the next
// run took back what this one read, lost when retention deleted those files too (under retention
// faster than the runs, most events). Now the deleted file is left out of a state that is saved.
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { duckdbRows } from "../helpers/duckdb.js";
import {
  INCREMENTAL_COMMANDS,
  type IncrementalCommand,
  incrementalArgs,
  publishedNumbers,
} from "../helpers/incremental-commands.js";
import { appendNumbered } from "../helpers/numbered-input.js";
import { runBin, runWithHook } from "../helpers/run-bin.js";
import type { ChildResult } from "../helpers/run-child.js";
import { runStoppedIn } from "../helpers/stopped-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const append = appendNumbered;

// The built CLI with `args`, the first file whose path matches `pattern` deleted as it is opened.
const runDeletingOnOpen = (args: readonly string[], pattern: string) =>
  runWithHook("delete-on-open.cjs", { DELETE_ON_OPEN: pattern }, args);

// The run stopped while it plans (every input listed and identified) or as it starts reading
// (every file planned), `meanwhile` done, resumed.
const runStopped = (
  args: readonly string[],
  meanwhile: () => void,
  phase: "plan" | "read" = "plan",
) => runStoppedIn(phase, args, meanwhile);

// The two incremental commands under test, each reading in one thread (`--workers 0`).
const argsOf = (command: IncrementalCommand, input: string, out: string) =>
  incrementalArgs(command, input, out, ["--workers", "0"]);
const etlArgs = (input: string, out: string) => argsOf("etl", input, out);
const partitionedArgs = (input: string, out: string) => argsOf("partitioned export", input, out);

// The scenario, for `args` (input and output given): a first run, a segment deleted (archived),
// a new segment deleted while the third run reads, a fourth run. Returns its result.
async function raceRetention(input: string, args: readonly string[]): Promise<ChildResult> {
  const live = join(input, "ch.jsonl");
  const at = (minute: number) => join(input, `ch.20260101T00${minute}000000Z.jsonl`);
  append(live, 0, 5);
  renameSync(live, at(1));
  append(live, 5, 5);
  expect((await runBin(args)).code).toBe(0);
  // Retention deletes the first segment: archived, its events 0..4 kept in the outputs.
  renameSync(live, at(2));
  append(live, 10, 5);
  rmSync(at(1));
  const archived = await runBin(args);
  expect(archived.stderr).toContain("1 deleted file(s) kept as archived");
  // A new segment (15..19), deleted while the next run reads: lost, and said so.
  renameSync(live, at(3));
  append(at(4), 15, 5);
  append(live, 20, 5);
  const raced = await runStopped(args, () => rmSync(at(4)));
  // Named by a vanished_file warning; both commands publish what they read (exit 0).
  expect(raced.stderr).toMatch(/vanished_file[^\n]*deleted after the run listed it/);
  expect(raced.stderr).toContain(at(4));
  expect(raced.stderr).not.toContain("unreadable_file");
  expect(raced.code, raced.stderr).toBe(0);
  return runBin(args);
}

const KEPT = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 20, 21, 22, 23, 24];

describe("a new segment deleted while an incremental run reads", () => {
  it.each(INCREMENTAL_COMMANDS)(
    "%s: the next run continues, the archived files' events stay in the outputs",
    async (command) => {
      const input = tempDir();
      const out = join(tempDir(), "out");
      const next = await raceRetention(input, argsOf(command, input, out));
      expect(next.code, next.stderr).toBe(0);
      expect(next.stderr).not.toContain("full run");
      expect(await publishedNumbers(command, out)).toEqual(KEPT);
    },
  );

  it("etl: a segment deleted between the listing and its identification keeps the state too", async () => {
    const input = tempDir();
    const out = join(tempDir(), "out");
    const args = etlArgs(input, out);
    const live = join(input, "ch.jsonl");
    const at = (minute: number) => join(input, `ch.20260101T00${minute}000000Z.jsonl`);
    append(at(1), 0, 5);
    append(live, 5, 5);
    await runBin(args);
    rmSync(at(1));
    expect((await runBin(args)).stderr).toContain("1 deleted file(s) kept as archived");
    append(at(2), 10, 5);
    const raced = await runDeletingOnOpen(args, "T002000000Z");
    expect(raced.stderr).toContain("vanished_file");
    const next = await runBin(args);
    expect(next.stderr).not.toContain("full run");
    const events = JSON.parse(readFileSync(join(out, "telemetry_events.json"), "utf8"));
    expect(events).toHaveLength(10);
  });

  it("partitioned export: a segment deleted between the listing and its identification publishes", async () => {
    const input = tempDir();
    const out = join(tempDir(), "ds");
    const args = partitionedArgs(input, out);
    append(join(input, "ch.20260101T001000000Z.jsonl"), 0, 5);
    append(join(input, "ch.jsonl"), 5, 5);
    await runBin(args);
    rmSync(join(input, "ch.20260101T001000000Z.jsonl"));
    append(join(input, "ch.20260101T002000000Z.jsonl"), 10, 5);
    const raced = await runDeletingOnOpen(args, "T002000000Z");
    expect(raced.code, raced.stderr).toBe(0);
    const next = await runBin(args);
    expect(next.stderr).not.toContain("full run");
    const rows = await duckdbRows(
      `SELECT count(*)::INTEGER AS n FROM read_parquet('${out}/**/*.parquet')`,
    );
    expect(rows[0]?.n).toBe(10);
  });

  // What the run read beside the deleted segment is in its state: when retention then deletes
  // the file it read it from, the next run keeps those events (it took them back, and lost them).
  it.each(INCREMENTAL_COMMANDS)(
    "%s: what a run read beside a deleted segment stays when its file goes too",
    async (command) => {
      const input = tempDir();
      const out = join(tempDir(), "out");
      const args = argsOf(command, input, out);
      const live = join(input, "ch.jsonl");
      const at = (minute: number) => join(input, `ch.20260101T00${minute}000000Z.jsonl`);
      append(at(1), 0, 5);
      append(live, 5, 5);
      expect((await runBin(args)).code).toBe(0);
      append(live, 10, 5);
      append(at(2), 15, 5);
      const raced = await runStopped(args, () => rmSync(at(2)), "read");
      expect(raced.code, raced.stderr).toBe(0);
      expect(raced.stderr).toMatch(/vanished_file[^\n]*deleted after the run listed it/);
      // The live file rotated and deleted before the next run; a new one written.
      renameSync(live, at(3));
      rmSync(at(3));
      append(live, 20, 5);
      const next = await runBin(args);
      expect(next.code, next.stderr).toBe(0);
      expect(next.stderr).not.toContain("full run");
      expect(await publishedNumbers(command, out)).toEqual(KEPT);
    },
  );

  // A .gz continued from the plain file it was compressed from (read in part before) keeps its
  // mark as a state keeps a .gz: read whole. Kept as the run continued it (the plain file's
  // identity, offset 0), the state was inconsistent, and the next run a full one that dropped
  // every archived file's events (an adversary's find).
  it.each(INCREMENTAL_COMMANDS)(
    "%s: a .gz continued from its plain file, deleted before it is opened, keeps a valid mark",
    async (command) => {
      const input = tempDir();
      const out = join(tempDir(), "out");
      const args = argsOf(command, input, out);
      const live = join(input, "ch.jsonl");
      const old = join(input, "ch.20260101T000000000Z.jsonl");
      append(old, 100, 5);
      append(live, 0, 5);
      expect((await runBin(args)).code).toBe(0);
      rmSync(old); // archived by the next run, its events kept
      // Written past what was read, rotated and compressed; a new live file.
      append(live, 5, 3);
      const rotated = join(input, "ch.20260101T001000000Z.jsonl");
      renameSync(live, rotated);
      writeFileSync(`${rotated}.gz`, gzipSync(readFileSync(rotated)));
      rmSync(rotated);
      append(live, 8, 2);
      const raced = await runStopped(args, () => rmSync(`${rotated}.gz`), "read");
      expect(raced.code, raced.stderr).toBe(0);
      expect(raced.stderr).toMatch(/vanished_file[^\n]*deleted after the run listed it/);
      const next = await runBin(args);
      expect(next.code, next.stderr).toBe(0);
      expect(next.stderr).not.toContain("full run");
      // 5..7 were in the .gz only: lost, and named by the warning above.
      const kept = [0, 1, 2, 3, 4, 8, 9, 100, 101, 102, 103, 104];
      expect(await publishedNumbers(command, out)).toEqual(kept);
    },
  );

  // A file of several segments (4 MiB each) takes each segment's deletion on its own path.
  it.each([
    ["etl", 5],
    ["partitioned export", 5],
    ["etl", 100_000],
  ] as const)(
    "%s: a segment of %i events deleted after the plan, before it is opened, is named once",
    async (command, count) => {
      const input = tempDir();
      const out = join(tempDir(), "out");
      const args = argsOf(command, input, out);
      const later = join(input, "ch.20260101T002000000Z.jsonl");
      append(join(input, "ch.20260101T001000000Z.jsonl"), 0, 5);
      append(join(input, "ch.jsonl"), 5, 5);
      await runBin(args);
      append(later, 10, count);
      const raced = await runStopped(args, () => rmSync(later), "read");
      // As a one-shot run names it: a warning, not an error ("read failed (ENOENT)" before).
      expect(raced.stderr.match(new RegExp(later, "g"))).toHaveLength(1);
      expect(raced.stderr).toMatch(/vanished_file[^\n]*deleted after the run listed it/);
      expect(raced.stderr).not.toContain("unreadable_file");
      // Both publish what they read, and save their state without the deleted file.
      expect(raced.code, raced.stderr).toBe(0);
      const next = await runBin(args);
      expect(next.code, next.stderr).toBe(0);
      expect(next.stderr).not.toContain("full run");
      expect(next.stderr).not.toContain(later);
      expect(await publishedNumbers(command, out)).toEqual([...Array(10).keys()]);
    },
  );

  it("etl: a named file of several segments deleted after the plan is an error, named once", async () => {
    const named = join(tempDir(), "ch.jsonl");
    const out = join(tempDir(), "out");
    const args = etlArgs(named, out);
    append(named, 0, 100_000);
    expect((await runBin(args)).code).toBe(0);
    append(named, 100_000, 100_000);
    const raced = await runStopped(args, () => rmSync(named), "read");
    expect(raced.stderr.match(new RegExp(named, "g")), raced.stderr).toHaveLength(1);
    expect(raced.stderr).toContain("unreadable_file: vanished after the run listed it");
    const events = JSON.parse(readFileSync(join(out, "telemetry_events.json"), "utf8"));
    expect(events).toHaveLength(100_000);
  });
});
