// The rotation lock broken by many takers at once, with real threads, processes and files:
// two processes of three worker threads each keep planting dead holders' locks and taking the
// lock (30 times each), so most takes break a stale lock while other threads break it too.
// Never two holders. (Real timing rarely hits the narrow windows where the lock this replaced
// went wrong: rotation-lock-interleavings.test.ts forces each order.)
import { describe, expect, it } from "vitest";
import { contendForLock } from "../helpers/lock-contention.js";
import { tempDir } from "../helpers/temp-dir.js";

const FIXTURE = "test/fixtures/processes/lock-contention.ts";

const contend = (format: string) => contendForLock(FIXTURE, tempDir(), 3, format);

describe("a dead holder's rotation lock broken by six threads of two processes at once", () => {
  // Each thread stops after 15 s at most: a hang guard past that, not a timed assertion.
  it("never has two holders (locks of this version)", { timeout: 120_000 }, async () => {
    const counts = await contend("directory");
    // Most of the 180 takes on a quiet host; enough to have contended on a loaded one.
    expect(counts.acquired).toBeGreaterThan(10);
    expect(counts.overlaps).toBe(0);
  });

  it("never has two holders (locks of an earlier version left behind)", {
    timeout: 120_000,
  }, async () => {
    const counts = await contend("file");
    // Most of the 180 takes on a quiet host; enough to have contended on a loaded one.
    expect(counts.acquired).toBeGreaterThan(10);
    expect(counts.overlaps).toBe(0);
  });
});
