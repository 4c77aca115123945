// The rotation lock under every interleaving of takers breaking a dead holder's lock at once:
// fs calls are intercepted, and other takers run in the middle of one taker's steps, at each
// of its calls in turn (a real race hits one of these orders now and then; here each is forced).
import * as fs from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { DirLock } from "../../src/tracker/dir-lock.js";
import { tempDir } from "../helpers/temp-dir.js";

const hook = vi.hoisted(() => ({
  before: undefined as ((name: string, args: unknown[]) => void) | undefined,
  // A file system without hard links (some FUSE and network mounts).
  noLinks: false,
}));

vi.mock("node:fs", async (importOriginal) => {
  const { hookedSyncFs } = await import("../helpers/sync-fs-hook.js");
  return hookedSyncFs(await importOriginal(), (name, args) => {
    hook.before?.(name, args);
    if (hook.noLinks && name === "linkSync") {
      throw Object.assign(new Error("EPERM: operation not permitted, link"), { code: "EPERM" });
    }
  });
});

const LOCK = ".user.rotate-lock";
// Pids are below 2^22 on Linux: this one cannot be running.
const DEAD = "99999999 0123456789abcdef";

/** A lock left by a process that is gone, as an earlier version wrote it (a plain file). */
function deadFileLock(directory: string): void {
  fs.writeFileSync(join(directory, LOCK), `${DEAD}\n`);
}

/** A lock left by a process that is gone, as this version writes it (a directory). */
function deadDirectoryLock(directory: string): void {
  fs.mkdirSync(join(directory, LOCK));
  fs.writeFileSync(join(directory, LOCK, "0123456789abcdef"), `${DEAD}\n`);
}

/** Calls `step(n)` before the n-th fs call on `directory` made while `run` runs (from 0). */
function during(directory: string, run: () => void, step: (n: number) => void): number {
  let n = 0;
  let inside = false;
  hook.before = (_name, args) => {
    if (inside || typeof args[0] !== "string" || !args[0].startsWith(directory)) return;
    inside = true;
    try {
      step(n++);
    } finally {
      inside = false;
    }
  };
  try {
    run();
  } finally {
    hook.before = undefined;
  }
  return n;
}

/**
 * Takers b, a and c: b breaks the dead holder's lock while a runs whole before b's i-th call and
 * c before its j-th. Whatever the order, at most one of them holds the lock, and once the holder
 * releases it, another takes it.
 */
function interleave(plant: (directory: string) => void): number {
  let orders = 0;
  for (let i = 0; ; i++) {
    for (let j = i; ; j++) {
      const directory = tempDir();
      plant(directory);
      const path = join(directory, LOCK);
      const [a, b, c] = [0, 1, 2].map(() => new DirLock(path, 0o644)) as [
        DirLock,
        DirLock,
        DirLock,
      ];
      const made = during(
        directory,
        () => b.tryAcquire(),
        (n) => {
          if (n === i) a.tryAcquire();
          if (n === j) c.tryAcquire();
        },
      );
      orders++;
      const holders = [a, b, c].filter((lock) => lock.held);
      expect(holders.length, `a before call ${i} of b, c before call ${j}`).toBeLessThanOrEqual(1);
      for (const lock of holders) lock.release();
      const d = new DirLock(path, 0o644);
      expect(d.tryAcquire(), `free again (a at ${i}, c at ${j})`).toBe(true);
      d.release();
      expect(fs.readdirSync(directory), `nothing left (a at ${i}, c at ${j})`).toEqual([]);
      // b made fewer calls: c (and for j = i, a too) never ran; later orders are the same.
      if (j >= made) {
        if (j === i) return orders;
        break;
      }
    }
  }
}

describe("takers breaking a dead holder's rotation lock at once", () => {
  it("never leave two holders, whatever the order (a lock of an earlier version)", () => {
    expect(interleave(deadFileLock)).toBeGreaterThan(10);
  });

  it("never leave two holders, whatever the order (a lock of this version)", () => {
    expect(interleave(deadDirectoryLock)).toBeGreaterThan(10);
  });

  it("never leave two holders on a file system without hard links", () => {
    hook.noLinks = true;
    try {
      expect(interleave(deadFileLock)).toBeGreaterThan(10);
      expect(interleave(deadDirectoryLock)).toBeGreaterThan(10);
    } finally {
      hook.noLinks = false;
    }
  });
});
