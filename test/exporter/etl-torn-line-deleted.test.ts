// A file whose last line is a whole event without its "\n" yet: an incremental ETL exports that
// event after the committed prefix, to be read again next run. When its file is then deleted
// (retention) or rotated away and deleted, and nothing else was appended, the next run has no
// segment to read; it kept the events file as it was, so the event of a line no file holds any
// more stayed in the export, which the report did not count (found by an adversary session).
import { appendFileSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runEtl } from "../../src/exporter/index.js";
import { eventLine, NOW } from "../helpers/event-lines.js";
import { runBin } from "../helpers/run-bin.js";
import { tempDir } from "../helpers/temp-dir.js";

const exported = (path: string) =>
  (JSON.parse(readFileSync(path, "utf8")) as { event: string }[]).map((e) => e.event).sort();

function setUp() {
  const input = tempDir();
  const out = tempDir();
  const run = () => runEtl({ inputs: [input], outputDir: out, incremental: true, now: NOW });
  writeFileSync(join(input, "system.jsonl"), `${eventLine({ channel: "system", event: "s" })}\n`);
  writeFileSync(join(input, "user.jsonl"), `${eventLine({ event: "a" })}\n`);
  // The writer stopped after the closing brace, before the newline.
  appendFileSync(join(input, "user.jsonl"), eventLine({ event: "torn" }));
  return { input, run };
}

describe("etl --incremental: an unfinished last line's event once its file is gone", () => {
  it("is not left in the events export by a run with nothing else to read", async () => {
    const { input, run } = setUp();
    const first = await run();
    expect(first.report.totals.valid).toBe(3);
    expect(exported(first.eventsPath)).toEqual(["a", "s", "torn"]);
    rmSync(join(input, "user.jsonl"));
    const second = await run();
    expect(second.report.by_event).toEqual({ a: 1, s: 1 });
    expect(exported(second.eventsPath)).toEqual(["a", "s"]);
    expect(second.incremental).toMatchObject({ mode: "incremental", eventsAdded: 0 });
    expect(second.incremental?.eventsFileKept).toBeUndefined();
    // The next run with nothing new keeps the file, which now holds what the report counts.
    const third = await run();
    expect(third.incremental).toMatchObject({ eventsAdded: 0, eventsFileKept: true });
    expect(exported(third.eventsPath)).toEqual(["a", "s"]);
  });

  it("nor after a Tracker rotation and retention", async () => {
    const { input, run } = setUp();
    await run();
    renameSync(join(input, "user.jsonl"), join(input, "user.20250301T000000000Z.jsonl"));
    writeFileSync(join(input, "user.jsonl"), "");
    const rotated = await run();
    const counted = rotated.report.by_event;
    expect(exported(rotated.eventsPath)).toEqual(
      Object.entries(counted)
        .flatMap(([event, n]) => Array(n).fill(event))
        .sort(),
    );
    rmSync(join(input, "user.20250301T000000000Z.jsonl"));
    const after = await run();
    expect(after.report.by_event).toEqual({ a: 1, s: 1 });
    expect(exported(after.eventsPath)).toEqual(["a", "s"]);
  });

  it("the CLI says it rewrote the file, not that it left it as it was", async () => {
    const { input } = setUp();
    const out = tempDir();
    const etl = ["etl", "--incremental", "-q", "-i", input, "--output-dir", out];
    expect((await runBin(etl)).code).toBe(0);
    rmSync(join(input, "user.jsonl"));
    const events = join(out, "telemetry_events.json");
    const rewritten = await runBin(etl);
    expect(rewritten.stdout).toContain(`wrote 2 events to ${events} (none new)\n`);
    const kept = await runBin(etl);
    expect(kept.stdout).toContain(`left ${events} as it was: nothing new to add (2 events)\n`);
  });
});
