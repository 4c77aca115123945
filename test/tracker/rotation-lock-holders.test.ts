// The rotation lock's holder, told apart with real threads and processes: a worker thread
// terminated in the middle of a rotation, a process killed there, a holder that is only slow,
// and a lock left by a process whose pid is now another one's.
import type { ChildProcess } from "node:child_process";
import { existsSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { Tracker } from "../../src/index.js";
import { threadIdentity } from "../../src/tracker/lock-holder.js";
import { channelLines, waitFor } from "../helpers/rotated-files.js";
import { startTs, waitForExit } from "../helpers/spawn-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const FIXTURE = "test/fixtures/processes/worker-dies-holding-lock.ts";
const PAD = "p".repeat(100);

function output(child: ChildProcess): () => string {
  let text = "";
  child.stdout?.on("data", (chunk) => {
    text += chunk;
  });
  return () => text;
}

function rotating(directory: string): Tracker {
  return new Tracker({ directory, bufferBytes: 0, rotate: { size: 200 } });
}

/** Records an event every 10 ms for `ms`; how many rotations the tracker made meanwhile. */
async function rotationsWithin(tracker: Tracker, ms: number): Promise<number> {
  const before = tracker.stats().rotated;
  const until = performance.now() + ms;
  while (performance.now() < until) {
    tracker.record("user", "other", { PAD });
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return tracker.stats().rotated - before;
}

/** Records an event every 10 ms until the tracker rotates; how long that took (ms). */
async function msUntilRotated(tracker: Tracker, giveUpMs: number): Promise<number> {
  const before = tracker.stats().rotated;
  const start = performance.now();
  while (tracker.stats().rotated === before && performance.now() - start < giveUpMs) {
    tracker.record("user", "other", { PAD });
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return tracker.stats().rotated === before ? Number.POSITIVE_INFINITY : performance.now() - start;
}

function expectWholeLines(directory: string): void {
  for (const line of channelLines(directory, "user")) expect(() => JSON.parse(line)).not.toThrow();
}

describe("a rotation lock whose holder thread ends", () => {
  it("a worker thread terminated mid-rotation: the process's other thread and another process rotate at once, not before", async () => {
    const directory = tempDir();
    const child = startTs(FIXTURE, [directory, "worker", "1500", "10000"]);
    const out = output(child);
    await waitFor(() => out().includes("held "));
    const other = rotating(directory);
    // A live thread holds it, in another process: this one writes on without rotating.
    expect(await rotationsWithin(other, 1000)).toBe(0);
    await waitFor(() => out().includes("terminated\n"));
    // The lock names the process, alive, but the thread is gone: not 30 s but at once.
    expect(await msUntilRotated(other, 10_000)).toBeLessThan(5000);
    expect(await waitForExit(child)).toEqual({ code: 0, signal: null });
    const measured = JSON.parse(out().trim().split("\n").at(-1) as string);
    expect(measured.rotatedWhileHeld).toBe(0);
    expect(measured.rotated).toBe(true);
    expect(measured.msToRotate).toBeLessThan(5000);
    await other.close();
    expectWholeLines(directory);
    // pid, token and the holder thread: its id, start time and scope.
    expect(out().split("\n")[0]?.split(" ")).toHaveLength(6);
    expect(readdirSync(directory).filter((f) => f.startsWith("."))).toEqual([]);
  });

  it("a holder that is slow (silent for longer than 30 s) is never broken while it runs; killed, at once", async () => {
    const directory = tempDir();
    const child = startTs(FIXTURE, [directory, "process"]);
    const out = output(child);
    try {
      await waitFor(() => out().includes("held "));
      // As a holder busy for a minute would look: not refreshed for that long.
      // The lock is a directory holding one file, named by the holder's token.
      const lock = join(directory, ".user.rotate-lock");
      const [token = ""] = readdirSync(lock);
      const old = new Date(Date.now() - 60_000);
      utimesSync(join(lock, token), old, old);
      const other = rotating(directory);
      expect(await rotationsWithin(other, 1000)).toBe(0);
      expect(existsSync(lock)).toBe(true);
      child.kill("SIGKILL");
      await waitForExit(child);
      expect(await msUntilRotated(other, 10_000)).toBeLessThan(5000);
      await other.close();
      expectWholeLines(directory);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("a lock naming a live pid but a thread started at another time (a reused pid) is broken at once", async () => {
    const directory = tempDir();
    const [tid, start, scope] = threadIdentity().split(" ");
    expect(scope).toBeDefined();
    const reused = `${process.pid} abcdef0123456789 ${tid} ${Number(start) + 1} ${scope}\n`;
    writeFileSync(join(directory, ".user.rotate-lock"), reused);
    const t = rotating(directory);
    expect(await msUntilRotated(t, 2000)).toBeLessThan(1000);
    await t.close();
  });
});

describe("the rotation lock's temp files", () => {
  it("a taker's temp left by a gone holder is removed, a running one's kept", async () => {
    const directory = tempDir();
    const gone = join(directory, ".user.rotate-lock.0123456789abcdef.tmp");
    const running = join(directory, ".user.rotate-lock.fedcba9876543210.tmp");
    const scope = threadIdentity().split(" ")[2];
    // Pids are below 2^22 on Linux: this one cannot be running.
    writeFileSync(gone, `99999999 0123456789abcdef 99999999 1 ${scope}\n`);
    writeFileSync(running, `${process.pid} fedcba9876543210 ${threadIdentity()}\n`);
    const t = rotating(directory);
    expect(await msUntilRotated(t, 2000)).toBeLessThan(1000);
    await t.close();
    expect(existsSync(gone)).toBe(false);
    expect(existsSync(running)).toBe(true);
  });
});
