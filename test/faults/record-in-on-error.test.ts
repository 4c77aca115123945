// onError is application code: it may record the failure as an event (telemetry about
// telemetry), or be an async function whose promise rejects. Neither may cost an acknowledged
// event or the host: events it records during the exit or signal flush are written, and a
// rejection is contained like a throw.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runTs } from "../helpers/run-child.js";
import { startTs, waitForExit, waitForLine } from "../helpers/spawn-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const FIXTURE = "test/fixtures/processes/record-in-on-error.ts";

function errorEvents(directory: string): { event: string; payload: { message?: string } }[] {
  return readFileSync(join(directory, "errors.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

function expectFailureRecorded(directory: string): void {
  const events = errorEvents(directory);
  expect(events.map((e) => e.event)).toEqual(["started", "io_error"]);
  expect(events[1]?.payload.message).toContain("user.jsonl could not be written");
}

describe("an onError that records the failure as an event", () => {
  it.each([
    ["a natural exit", "natural", 0],
    ["process.exit()", "exit", 5],
  ])("has it written when the exit flush fails on %s", async (_, mode, code) => {
    const directory = tempDir();
    const run = await runTs(FIXTURE, [directory, mode]);
    expect(run.code, run.stderr).toBe(code);
    expectFailureRecorded(directory);
  });

  it("has it written when the SIGTERM flush fails, and the signal still ends the process", async () => {
    const directory = tempDir();
    const child = startTs(FIXTURE, [directory, "sigterm"]);
    await waitForLine(child, /^ready$/);
    child.kill("SIGTERM");
    expect(await waitForExit(child)).toEqual({ code: null, signal: "SIGTERM" });
    expectFailureRecorded(directory);
  });
});

describe("an async onError whose promise rejects", () => {
  it("does not end the host with an unhandled rejection", async () => {
    const directory = tempDir();
    const run = await runTs(FIXTURE, [directory, "async"]);
    expect(run.stderr).not.toContain("the error service is down");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("alive\n");
  });
});
