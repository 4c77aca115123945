// A process killed at each fs call of taking the rotation lock (breaking a dead holder's) and of
// a rotation, in turn, with real processes and files: the next process takes the lock at once and
// rotates, no acknowledged event is lost or read twice (by the Tracker's naming contract and by
// the exporter), and nothing is left behind once the next process has held the lock.
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scanEvents } from "../../src/exporter/index.js";
import { Tracker } from "../../src/index.js";
import { DirLock } from "../../src/tracker/dir-lock.js";
import { channelLines } from "../helpers/rotated-files.js";
import { type ChildResult, runTs } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const FIXTURE = "test/fixtures/processes/killed-at-call.ts";
const LOCK = ".user.rotate-lock";

/** Runs the fixture killed before its k-th call, for k = 0, 1, … until it runs to the end. */
async function killedAtEachCall(
  mode: string,
  prepare: (directory: string) => void,
  check: (directory: string, run: ChildResult, k: number) => Promise<void>,
): Promise<number> {
  for (let k = 0; k < 100; k++) {
    const directory = tempDir();
    prepare(directory);
    const run = await runTs(FIXTURE, [directory, String(k), mode]);
    const done = run.stdout.includes("done\n");
    if (!done) expect(run.signal, `${mode} at call ${k}: ${run.stderr}`).toBe("SIGKILL");
    await check(directory, run, k);
    if (done) return k;
  }
  throw new Error("never ran to the end");
}

/**
 * Dot-files left once the next process has held the lock. A taker killed between making its
 * temp directory and writing its name in it leaves that directory empty: nothing tells whether
 * its taker still runs, so it goes once as old as a stale lock (30 s; here set back a minute).
 */
function leftovers(directory: string): string[] {
  const left = () => readdirSync(directory).filter((name) => name.startsWith("."));
  for (const name of left()) {
    const path = join(directory, name);
    if (!/^\.user\.rotate-lock\.[0-9a-f]{16}\.tmp$/.test(name)) continue;
    expect(readdirSync(path), name).toEqual([]);
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old);
  }
  const next = new DirLock(join(directory, LOCK), 0o644);
  expect(next.tryAcquire()).toBe(true);
  next.release();
  return left();
}

// A process per fs call: 7-14 s each on a quiet 2-core host, over 30 s on a loaded one. A hang
// guard, not a timed assertion.
const TIMEOUT_MS = 180_000;

describe("a process killed at any step of the rotation lock or of a rotation", () => {
  it("taking the lock from a dead holder: the next taker takes it at once, and nothing stays", {
    timeout: TIMEOUT_MS,
  }, async () => {
    const calls = await killedAtEachCall(
      "lock",
      (directory) => {
        // Pids are below 2^22 on Linux: this holder cannot be running.
        mkdirSync(join(directory, LOCK));
        writeFileSync(join(directory, LOCK, "0123456789abcdef"), "99999999 0123456789abcdef\n");
      },
      async (directory, _run, k) => {
        const next = new DirLock(join(directory, LOCK), 0o644);
        expect(next.tryAcquire(), `killed at call ${k}`).toBe(true);
        next.release();
        expect(leftovers(directory), `killed at call ${k}`).toEqual([]);
      },
    );
    expect(calls).toBeGreaterThan(5);
  });

  it("rotating: every acknowledged event is kept once, and the next process rotates at once", {
    timeout: TIMEOUT_MS,
  }, async () => {
    const calls = await killedAtEachCall(
      "rotate",
      () => undefined,
      async (directory, run, k) => {
        const acked = run.stdout.match(/^ack \d+$/gm)?.map((line) => Number(line.slice(4))) ?? [];
        const next = new Tracker({ directory, bufferBytes: 0, rotate: { size: 200 } });
        for (let i = 100; i < 103; i++) next.record("user", "e", { i, PAD: "p".repeat(150) });
        await next.close();
        expect(next.stats().rotated, `killed at call ${k}`).toBeGreaterThan(0);
        const seqs = channelLines(directory, "user").map((line) => JSON.parse(line).payload.i);
        // Event 1 may be on disk unacknowledged (killed after its write): never twice.
        const expected = [...new Set([...acked, ...seqs.filter((i) => i === 1)])];
        expect(seqs, `killed at call ${k}`).toEqual([...expected.sort(), 100, 101, 102]);
        const scan = await scanEvents({ inputs: [directory] }, []);
        expect(scan.totals.valid, `killed at call ${k}`).toBe(seqs.length);
        expect(leftovers(directory), `killed at call ${k}`).toEqual([]);
      },
    );
    expect(calls).toBeGreaterThan(5);
  });
});
