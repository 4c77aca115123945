// The exporter's lock file (a run's output, a shared dataset) under every interleaving of takers,
// breakers and releasers: fs calls are intercepted, and other takers run whole in the middle of
// one taker's (or releaser's) steps, at each of its calls in turn (a real race hits one of these
// orders now and then; here each is forced).
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import type { LockFile } from "../../src/exporter/sinks/lock-file.js";
import { RunLock, type RunLockOptions } from "../../src/exporter/state/run-lock.js";
import { tempDir } from "../helpers/temp-dir.js";

// About a hundred orders each, a few seconds alone: room for a loaded machine.
vi.setConfig({ testTimeout: 120_000 });

const hook = vi.hoisted(() => ({
  before: undefined as ((name: string, args: unknown[]) => Promise<void>) | undefined,
  // A file system without hard links (some FUSE and network mounts).
  noLinks: false,
}));

vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>();
  const wrapped: Record<string, unknown> = { ...actual };
  const names = ["link", "mkdir", "readFile", "readdir", "rename", "rm", "rmdir", "stat"];
  for (const name of [...names, "unlink", "utimes", "writeFile"]) {
    const value = (actual as Record<string, unknown>)[name] as (...a: unknown[]) => unknown;
    wrapped[name] = async (...args: unknown[]) => {
      await hook.before?.(name, args);
      if (hook.noLinks && name === "link") {
        throw Object.assign(new Error("EPERM: operation not permitted, link"), { code: "EPERM" });
      }
      return value(...args);
    };
  }
  return { ...wrapped, default: wrapped };
});

// Pids are below 2^22 on Linux: this one cannot be running.
const DEAD_PID = 99_999_999;
const TOKEN = "0123456789abcdef";
const deadText = `${JSON.stringify({ pid: DEAD_PID, host: hostname(), token: TOKEN, since: "then" })}\n`;

/** A lock left by a process that is gone, as the previous version wrote it (a plain file). */
function deadFileLock(path: string): void {
  writeFileSync(path, deadText);
}

/** A lock left by a process that is gone, as this version writes it (a directory). */
function deadDirectoryLock(path: string): void {
  mkdirSync(path);
  writeFileSync(join(path, TOKEN), deadText);
}

/** Takes the lock at once, or undefined when it is held. */
async function take(path: string, options: Partial<RunLockOptions> = {}) {
  return RunLock.acquire(path, { waitMs: 0, ...options }).catch((error) => {
    if ((error as { code?: string }).code === "output_locked") return undefined;
    throw error;
  });
}

/** Runs `step(n)` before the n-th fs call on `directory` made while `run` runs (from 0). */
async function during(
  directory: string,
  run: () => Promise<unknown>,
  step: (n: number) => Promise<void>,
): Promise<number> {
  let n = 0;
  let inside = false;
  hook.before = async (_name, args) => {
    if (inside || typeof args[0] !== "string" || !args[0].startsWith(directory)) return;
    inside = true;
    try {
      await step(n++);
    } finally {
      inside = false;
    }
  };
  try {
    await run();
  } finally {
    hook.before = undefined;
  }
  return n;
}

/** Once every holder released it, the lock is free and nothing of it is left. */
async function freeAndClean(directory: string, path: string, where: string): Promise<void> {
  const d = await take(path);
  expect(d, `free again (${where})`).toBeDefined();
  await d?.release();
  expect(readdirSync(directory), `nothing left (${where})`).toEqual([]);
}

/**
 * Takers b, a and c: b breaks the dead holder's lock while a runs whole before b's i-th call and
 * c before its j-th. Whatever the order, at most one of them holds the lock, it still holds it
 * at the end, and once it releases it, another takes it.
 */
async function interleave(plant: (path: string) => void): Promise<number> {
  let orders = 0;
  for (let i = 0; ; i++) {
    for (let j = i; ; j++) {
      const directory = tempDir();
      const path = join(directory, ".etl.lock");
      plant(path);
      const held: (LockFile | undefined)[] = [];
      const made = await during(
        directory,
        async () => held.push(await take(path)),
        async (n) => {
          if (n === i) held.push(await take(path));
          if (n === j) held.push(await take(path));
        },
      );
      orders++;
      const where = `a before call ${i} of b, c before call ${j}`;
      const holders = held.filter((lock) => lock !== undefined);
      expect(holders.length, where).toBeLessThanOrEqual(1);
      for (const lock of holders) {
        await expect(lock.assertHeld(), where).resolves.toBeUndefined();
        await lock.release();
      }
      await freeAndClean(directory, path, where);
      // b made fewer calls: c (and for j = i, a too) never ran; later orders are the same.
      if (j >= made) {
        if (j === i) return orders;
        break;
      }
    }
  }
}

describe("takers breaking a dead holder's exporter lock at once", () => {
  it("never leave two holders, whatever the order (a lock of the previous version)", async () => {
    expect(await interleave(deadFileLock)).toBeGreaterThan(10);
  });

  it("never leave two holders, whatever the order (a lock of this version)", async () => {
    expect(await interleave(deadDirectoryLock)).toBeGreaterThan(10);
  });

  it("take and break the lock on a file system without hard links", async () => {
    hook.noLinks = true;
    try {
      expect(await interleave(deadFileLock)).toBeGreaterThan(10);
    } finally {
      hook.noLinks = false;
    }
  });
});

describe("a holder releasing its lock while another breaks it (judged stale: a clock ahead)", () => {
  it("never removes the lock the other took meanwhile", async () => {
    for (let i = 0; ; i++) {
      const directory = tempDir();
      const path = join(directory, ".etl.lock");
      const a = await take(path);
      let b: LockFile | undefined;
      const made = await during(
        directory,
        async () => a?.release(),
        async (n) => {
          if (n === i) b = await take(path, { now: () => Date.now() + 3_600_000 });
        },
      );
      const where = `b before call ${i} of a's release`;
      if (b !== undefined) {
        await expect(b.assertHeld(), where).resolves.toBeUndefined();
        expect(await take(path), `one holder (${where})`).toBeUndefined();
        await b.release();
      }
      await freeAndClean(directory, path, where);
      if (i >= made) break;
    }
  });
});

class Killed extends Error {}

describe("a taker or holder killed before any of its fs calls", () => {
  it("leaves nothing that blocks the next run, which takes the lock and removes the rest", async () => {
    // The next run takes everything of this process for dead, and its clock is past the stale
    // time (a temp left before its holder's text was written names nobody).
    const next = { isAlive: () => false, now: () => Date.now() + 3_600_000 };
    for (const phase of ["acquire", "release"] as const) {
      for (let i = 0; ; i++) {
        const directory = tempDir();
        const path = join(directory, ".etl.lock");
        const holder = phase === "release" ? await take(path) : undefined;
        let taken: LockFile | undefined;
        const run = async () => {
          if (holder === undefined) taken = await take(path);
          else await holder.release();
        };
        let killed = false;
        // Killed: that call and every later one (a finally block's too) never happen.
        await during(directory, run, async (n) => {
          if (n < i) return;
          killed = true;
          throw new Killed();
        }).catch((error) => {
          if (!killed) throw error;
        });
        const where = `killed before call ${i} of ${phase}`;
        // Not killed at all (past its last call): the lock it took is released as usual.
        if (!killed) await taken?.release();
        const d = await take(path, next);
        expect(d, where).toBeDefined();
        await d?.release();
        expect(readdirSync(directory), `nothing left (${where})`).toEqual([]);
        if (!killed) break;
      }
    }
  });
});
