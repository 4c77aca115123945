// The filter flags reach the run from the command line: each of --since, --until, --channel and
// --event (repeated) changes what is exported, so a flag the CLI dropped fails this test.
import { describe, expect, it } from "vitest";
import { Tracker } from "../../src/index.js";
import type { TelemetryEvent } from "../../src/schema/index.js";
import { runCli } from "../helpers/cli.js";
import { inReadOrder } from "../helpers/sample-events.js";
import { tempDir } from "../helpers/temp-dir.js";

const SINCE = "2025-03-02"; // its start, 00:00 UTC
const UNTIL = "2025-03-03T12:00:00+02:00"; // 10:00 UTC, excluded
const CHANNELS = ["user", "system"];
const EVENTS = ["a", "b"];

// Every channel, event and time crossed, so that no filter follows from another; the times sit
// on either side of each bound.
async function recordGrid(directory: string): Promise<TelemetryEvent[]> {
  const tracker = new Tracker({ directory });
  const events: TelemetryEvent[] = [];
  for (const channel of ["user", "system", "simulation"]) {
    for (const name of ["a", "b", "c"]) {
      for (const timestamp of [
        "2025-03-01T23:59:59.999Z",
        "2025-03-02T00:00:00Z",
        "2025-03-03T09:59:59.999Z",
        "2025-03-03T10:00:00Z",
      ]) {
        events.push(tracker.record(channel, name, {}, { timestamp }));
      }
    }
  }
  await tracker.close();
  return events;
}

type Test = (e: TelemetryEvent) => boolean;
const since: Test = (e) => Date.parse(e.timestamp) >= Date.parse(`${SINCE}T00:00:00Z`);
const until: Test = (e) => Date.parse(e.timestamp) < Date.parse(UNTIL);
const channel: Test = (e) => CHANNELS.includes(e.channel);
const event: Test = (e) => EVENTS.includes(e.event);

describe("filter flags", () => {
  it("--since, --until, repeated --channel and --event keep exactly the events they select", async () => {
    const input = tempDir();
    const events = inReadOrder(await recordGrid(input));
    const tests = [since, until, channel, event];
    const expected = events.filter((e) => tests.every((test) => test(e)));
    expect(expected.length).toBe(8);
    // Each filter matters: without any one of them, more events would be kept.
    for (const left of tests) {
      const without = events.filter((e) => tests.every((test) => test === left || test(e)));
      expect(without.length).toBeGreaterThan(expected.length);
    }
    const run = await runCli([
      ...["export", "-i", input, "-f", "jsonl", "-o", "-", "--since", SINCE, "--until", UNTIL],
      ...CHANNELS.flatMap((c) => ["--channel", c]),
      ...EVENTS.flatMap((e) => ["--event", e]),
    ]);
    expect(run.code).toBe(0);
    const kept = run.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(kept).toEqual(expected);
    expect(run.stderr).toContain(`${events.length - expected.length} filtered out`);
  });
});
