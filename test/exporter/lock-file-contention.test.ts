// The exporter's lock broken by many takers at once, with real processes and files: two
// processes of four concurrent takers each keep planting dead holders' locks and taking the lock
// (30 times each), so most takes break a stale lock while other takers break it too. Never two
// holders. (Real timing rarely hits the narrow windows where the lock this replaced went wrong:
// lock-file-interleavings.test.ts forces each order.)
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type ContentionCounts, contendForLock } from "../helpers/lock-contention.js";
import { tempDir } from "../helpers/temp-dir.js";

const FIXTURE = "test/fixtures/processes/exporter-lock-contention.ts";

async function contend(format: string): Promise<ContentionCounts> {
  const directory = tempDir();
  const total = await contendForLock(FIXTURE, directory, 4, format);
  // The last dead lock planted may stay (no take after it); nothing else of the takers does.
  expect(readdirSync(directory).filter((name) => name !== ".etl.lock")).toEqual([]);
  return total;
}

describe("a dead holder's exporter lock broken by eight takers of two processes at once", () => {
  // Each process stops after 15 s at most: a hang guard past that, not a timed assertion.
  it("never has two holders (locks of this version)", { timeout: 120_000 }, async () => {
    const counts = await contend("directory");
    // Most of the 240 takes on a quiet host; enough to have contended on a loaded one.
    expect(counts.acquired).toBeGreaterThan(10);
    expect(counts.overlaps).toBe(0);
  });

  it("never has two holders (locks of the previous version left behind)", {
    timeout: 120_000,
  }, async () => {
    const counts = await contend("file");
    expect(counts.acquired).toBeGreaterThan(10);
    expect(counts.overlaps).toBe(0);
  });
});
