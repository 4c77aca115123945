// The Tracker where permissions deny it something, in a real process of a user they stop (as
// root, `nobody`: root never sees EACCES). record() never throws for I/O; every failure reaches
// onError and stats(); nothing acknowledged is lost silently: each event is in its file or
// counted as dropped.
import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp-dir.js";
import { runTsUnprivileged, UNPRIVILEGED, unprivilegedDir } from "../helpers/unprivileged.js";

const FIXTURE = "test/fixtures/processes/permission-writer.ts";

interface Outcome {
  stats: { recorded: number; written: number; dropped: number; errors: number; rotated: number };
  errors: string[];
  acknowledged: number[];
}

const restore: [string, number][] = [];
afterEach(() => {
  for (const [path, mode] of restore.splice(0).reverse()) chmodSync(path, mode);
});

async function run(dir: string, scenario: string): Promise<Outcome> {
  const child = await runTsUnprivileged(FIXTURE, [dir, scenario]);
  expect(child.stderr).toBe("");
  expect(child.code).toBe(0);
  return JSON.parse(child.stdout) as Outcome;
}

// The `i` of every event in the directory's files of `channel`.
function written(dir: string, channel = "user"): number[] {
  return readdirSync(dir)
    .filter((name) => name.startsWith(`${channel}.`) && name.endsWith(".jsonl"))
    .flatMap((name) => readFileSync(join(dir, name), "utf8").split("\n").filter(Boolean))
    .map((line) => (JSON.parse(line) as { payload: { i: number } }).payload.i)
    .sort((a, b) => a - b);
}

describe.runIf(UNPRIVILEGED)("a Tracker denied by permissions", () => {
  it("a stale rotation lock it may not remove: reported through onError, never silently no rotation", async () => {
    const dir = tempDir();
    const lock = join(dir, ".user.rotate-lock");
    const token = "0123456789abcdef";
    mkdirSync(lock);
    // Left by a process long gone (no such pid), an hour ago.
    writeFileSync(join(lock, token), `999999999 ${token}\n`);
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(join(lock, token), hourAgo, hourAgo);
    unprivilegedDir(dir);
    chmodSync(lock, 0o555);
    restore.push([lock, 0o755]);
    const outcome = await run(dir, "stale-lock");
    expect(outcome.stats.rotated).toBe(0);
    expect(outcome.stats.errors).toBeGreaterThan(0);
    expect(outcome.stats.errors).toBe(outcome.errors.length);
    expect(outcome.errors[0]).toBe(
      `io_error: ${join(dir, "user.jsonl")} was not rotated: no rotation lock (EACCES)`,
    );
    // Nothing lost: every event in the live file.
    expect(outcome.stats.dropped).toBe(0);
    expect(written(dir)).toEqual(outcome.acknowledged);
  });

  it("a channel file made read-only while it runs: the denied write is dropped and counted, the rest written", async () => {
    const dir = unprivilegedDir(tempDir());
    const outcome = await run(dir, "readonly-channel");
    expect(outcome.errors).toEqual([
      `io_error: ${join(dir, "user.jsonl")} could not be written (EACCES)`,
    ]);
    expect(outcome.stats).toMatchObject({ recorded: 5, written: 4, dropped: 1, errors: 1 });
    // Every acknowledged event is written or counted as dropped: 0, 1 and 4 in user.jsonl.
    expect(written(dir)).toEqual([0, 1, 4]);
    expect(written(dir, "other")).toEqual([2]);
  });

  it("a directory it may not write: record() does not throw, the event is dropped and counted; the next write, once allowed, lands", async () => {
    const dir = unprivilegedDir(tempDir());
    restore.push([dir, 0o755]);
    const outcome = await run(dir, "readonly-directory");
    expect(outcome.errors).toEqual([
      `io_error: ${join(dir, "user.jsonl")} could not be written (EACCES)`,
    ]);
    expect(outcome.stats).toMatchObject({ recorded: 2, written: 1, dropped: 1, errors: 1 });
    expect(written(dir)).toEqual([1]);
  });
});
