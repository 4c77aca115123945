// The default signal handling keeps the process's own signal semantics: the process ends by the
// signal exactly when nothing but trackers listens for it, whatever the arrangement of trackers,
// package copies and application listeners. Real child processes on the built package.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { secondCopy } from "../helpers/package-copy.js";
import { readLines } from "../helpers/read-lines.js";
import { waitForExit, waitForLine } from "../helpers/spawn-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const fixture = join(root, "test/fixtures/processes/signal-app.mjs");
const entry = join(root, "dist/index.js");
const SIGNALS = ["SIGINT", "SIGTERM"] as const;

interface Scenario {
  copies: string[];
  trackers?: number;
  closed?: number;
  handler?: "none" | "on" | "once" | "prepend-once";
  when?: "before" | "after";
  for?: NodeJS.Signals[];
  shutdownMs?: number;
}

/** How the child ended; one still running 15 s after the signal is SIGKILLed (a swallowed signal). */
async function ending(proc: ChildProcess) {
  const timer = setTimeout(() => proc.kill("SIGKILL"), 15_000);
  const ended = await waitForExit(proc);
  clearTimeout(timer);
  return ended;
}

async function signalled(scenario: Scenario, signal: NodeJS.Signals, again = false) {
  const directory = tempDir();
  const proc = spawn(process.execPath, [fixture, directory, JSON.stringify(scenario)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  await waitForLine(proc, /^ready$/);
  proc.kill(signal);
  if (again) {
    // Rejects if the first signal ended the process: the application's shutdown must be running.
    await waitForLine(proc, /^still shutting down$/);
    proc.kill(signal);
  }
  return { ended: await ending(proc), directory };
}

function eventsOf(directory: string, channel: string): string[] {
  const path = join(directory, `${channel}.jsonl`);
  return existsSync(path) ? readLines(path).map((line) => JSON.parse(line).event) : [];
}

function channels(scenario: Scenario): string[] {
  return scenario.copies.flatMap((_, copy) =>
    Array.from({ length: scenario.trackers ?? 1 }, (_, i) => `c${copy}_${i}`),
  );
}

const recorded = Array.from({ length: 50 }, () => "e");

async function expectKilledBy(scenario: Scenario, signal: NodeJS.Signals, again = false) {
  const { ended, directory } = await signalled(scenario, signal, again);
  expect(ended).toEqual({ code: null, signal });
  for (const channel of channels(scenario)) expect(eventsOf(directory, channel)).toEqual(recorded);
}

async function expectApplicationDecides(scenario: Scenario, signal: NodeJS.Signals) {
  const { ended, directory } = await signalled(scenario, signal);
  expect(ended).toEqual({ code: 7, signal: null });
  channels(scenario).forEach((channel, i) => {
    const open = i >= (scenario.closed ?? 0);
    expect(eventsOf(directory, channel)).toEqual(open ? [...recorded, "graceful"] : recorded);
  });
}

describe("an application handler registered with process.once", () => {
  it.each(SIGNALS)(
    "before the tracker: %s runs it to its end; the exit status is the application's",
    (signal) =>
      expectApplicationDecides({ copies: [entry], handler: "once", when: "before" }, signal),
  );

  it.each(SIGNALS)("prepended after the tracker: %s runs it to its end", (signal) =>
    expectApplicationDecides({ copies: [entry], handler: "prepend-once", when: "after" }, signal),
  );

  it.each(["before", "after"] as const)(
    "registered %s the tracker, consumed by a first SIGINT: a second one ends the process, after a flush",
    (when) =>
      expectKilledBy(
        { copies: [entry], handler: "once", when, shutdownMs: 20_000 },
        "SIGINT",
        true,
      ),
  );
});

describe("two copies of the package in one process", () => {
  it.each(SIGNALS)(
    "no application handler: %s flushes both copies and ends the process by it",
    (signal) => expectKilledBy({ copies: [entry, secondCopy()] }, signal),
  );

  it("two trackers per copy, one closed before: SIGTERM flushes the rest and ends the process", () =>
    expectKilledBy({ copies: [entry, secondCopy()], trackers: 2, closed: 1 }, "SIGTERM"));

  it.each([
    ["once", "before", "SIGINT"],
    ["once", "after", "SIGTERM"],
    ["on", "before", "SIGTERM"],
    ["on", "after", "SIGINT"],
  ] as const)(
    "an application handler (%s, %s the trackers): %s leaves the exit to it",
    (handler, when, signal) =>
      expectApplicationDecides({ copies: [entry, secondCopy()], handler, when }, signal),
  );
});

describe("one copy, several trackers", () => {
  it.each(SIGNALS)(
    "three trackers, no application handler: %s flushes all and ends the process",
    (signal) => expectKilledBy({ copies: [entry], trackers: 3 }, signal),
  );

  it.each([
    [1, "SIGINT"],
    [2, "SIGTERM"],
  ] as const)(
    "%i of two closed before the signal, no application handler: %s ends the process",
    (closed, signal) => expectKilledBy({ copies: [entry], trackers: 2, closed }, signal),
  );

  it("every tracker closed before the signal, an application once handler: the application decides", () =>
    expectApplicationDecides(
      { copies: [entry], trackers: 2, closed: 2, handler: "once", when: "before" },
      "SIGTERM",
    ));

  it.each([
    ["SIGINT", "SIGTERM"],
    ["SIGTERM", "SIGINT"],
  ] as const)(
    "an application handler for %s only: %s still ends the process, after a flush",
    (own, signal) =>
      expectKilledBy({ copies: [entry], handler: "once", when: "before", for: [own] }, signal),
  );

  it.each(
    (["on", "once"] as const).flatMap((handler) =>
      (["before", "after"] as const).flatMap((when) =>
        SIGNALS.map((signal) => [handler, when, signal] as const),
      ),
    ),
  )(
    "an application handler (%s, %s the trackers): %s leaves the exit to it",
    (handler, when, signal) =>
      expectApplicationDecides({ copies: [entry], trackers: 2, handler, when }, signal),
  );
});
