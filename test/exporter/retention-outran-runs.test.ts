// Retention faster than the runs: between two incremental runs a Tracker's live file is rotated
// (with events written after the last run read it), compressed, and deleted, and so is the
// segment after it. Those events are lost by design (no run ever saw them), but a run must say
// so: it used to report only "1 deleted file(s) kept as archived", as if nothing were missing,
// and exit 0 with the loss invisible to the operator running it from cron.
import { existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appendNumbered } from "../helpers/numbered-input.js";
import { runBin } from "../helpers/run-bin.js";
import { tempDir } from "../helpers/temp-dir.js";

const append = appendNumbered;

describe("segments rotated and deleted between two incremental runs", () => {
  it("etl --incremental says the live file it read went before its new lines were read", async () => {
    const input = tempDir();
    const out = join(tempDir(), "out");
    const live = join(input, "ch.jsonl");
    const etl = () =>
      runBin(["etl", "--incremental", "--workers", "0", "-i", input, "--output-dir", out]);
    append(live, 0, 5);
    expect((await etl()).code).toBe(0);
    // What the Tracker does between the runs: 5 more events, rotate, 5 in the next live file,
    // rotate, then retention (keep one segment... here none left) deletes both segments.
    append(live, 5, 5);
    renameSync(live, join(input, "ch.20260101T000010000Z.jsonl"));
    append(live, 10, 5);
    renameSync(live, join(input, "ch.20260101T000015000Z.jsonl"));
    append(live, 15, 5);
    rmSync(join(input, "ch.20260101T000010000Z.jsonl"));
    rmSync(join(input, "ch.20260101T000015000Z.jsonl"));
    const run = await etl();
    expect(run.code, run.stderr).toBe(0);
    const events = JSON.parse(readFileSync(join(out, "telemetry_events.json"), "utf8"));
    // Lost, as designed: 5..14 were never read.
    expect(events.map((e: { payload: { i: number } }) => e.payload.i)).toEqual([
      0, 1, 2, 3, 4, 15, 16, 17, 18, 19,
    ]);
    // …and said: the file read last time as the live file was rotated away and deleted.
    expect(run.stderr).toContain(
      `incremental: ${live} as the last run read it (635 bytes) was rotated and deleted before this run`,
    );
    expect(existsSync(join(out, ".etl-state.json"))).toBe(true);
  });

  it("a segment deleted after a run read it to its end, its name not reused, says nothing", async () => {
    const input = tempDir();
    const out = join(tempDir(), "out");
    const live = join(input, "ch.jsonl");
    const segment = join(input, "ch.20260101T000005000Z.jsonl");
    const etl = () =>
      runBin(["etl", "--incremental", "--workers", "0", "-i", input, "--output-dir", out]);
    append(live, 0, 5);
    renameSync(live, segment);
    append(live, 5, 5);
    expect((await etl()).code).toBe(0);
    rmSync(segment);
    const run = await etl();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("1 deleted file(s) kept as archived");
    expect(run.stderr).not.toContain("rotated and deleted before this run");
  });
});
