// The Tracker's timers can be asked to wait longer than a timer can (2^31 - 1 ms, 24.8 days).
// Segment maintenance looks again when a segment becomes quiescent: with a `graceMs` of a month,
// further off than that (a segment modified after now, as a clock set back since leaves it, was
// once such a case; it now counts from when first seen, see clock-jumps.test.ts). Node then fires the timer after 1 ms, with a warning on stderr each time, and the pass
// it runs asked for the same delay again: a busy loop that flooded the application's stderr.
// A `flushIntervalMs` of a month flushed after 1 ms, with a warning per flush.
import { existsSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { eventLine } from "../helpers/event-lines.js";
import { runTs } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const CHILD = "test/fixtures/processes/maintain-for-a-while.ts";
const CHILD_FLUSH = "test/fixtures/processes/long-flush-interval.ts";
const DAY_MS = 86_400_000;

function segment(dir: string): string {
  const path = join(dir, "user.20250301T000000000Z.jsonl");
  writeFileSync(path, `${eventLine()}\n`);
  return path;
}

describe("segment maintenance further off than a timer can wait", () => {
  it("a segment modified 60 days after now is left for later, with no warning and no loop", async () => {
    const dir = tempDir();
    const path = segment(dir);
    const ahead = new Date(Date.now() + 60 * DAY_MS);
    utimesSync(path, ahead, ahead);
    const run = await runTs(CHILD, [dir, "60000", "1000"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe("");
    // Counted from when first seen: not quiescent before graceMs (a writer may still append).
    expect(existsSync(path)).toBe(true);
    expect(existsSync(`${path}.gz`)).toBe(false);
  }, 30_000);

  it("a graceMs of 30 days waits as asked, with no warning and no loop", async () => {
    const dir = tempDir();
    const path = segment(dir);
    const run = await runTs(CHILD, [dir, String(30 * DAY_MS), "1000"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe("");
    expect(existsSync(`${path}.gz`)).toBe(false);
  }, 30_000);
});

describe("a flushIntervalMs further off than a timer can wait", () => {
  it("a month: no flush before it, no warning, and the exit flush writes every event", async () => {
    const dir = tempDir();
    const run = await runTs(CHILD_FLUSH, [dir, "300"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe("");
    const [recorded, before] = run.stdout.trim().split(" ").map(Number) as [number, number];
    expect(recorded).toBeGreaterThan(3);
    expect(before).toBe(0);
    expect(readFileSync(join(dir, "app.jsonl"), "utf8").trim().split("\n")).toHaveLength(recorded);
  }, 30_000);
});
