// The exporter's lock broken by many takers at once, with real processes and files: two
// processes of four concurrent takers each keep planting dead holders' locks and taking the lock
// (30 times each), so most takes break a stale lock while other takers break it too. Never two
// holders. (Real timing rarely hits the narrow windows where the lock this replaced went wrong:
// lock-file-interleavings.test.ts forces each order.)
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runTs } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const FIXTURE = "test/fixtures/processes/exporter-lock-contention.ts";

interface Counts {
  readonly acquired: number;
  readonly planted: number;
  readonly overlaps: number;
}

async function contend(format: string): Promise<Counts> {
  const directory = tempDir();
  const runs = await Promise.all(
    [0, 1].map(() => runTs(FIXTURE, [directory, "4", "30", "15000", format])),
  );
  const total = { acquired: 0, planted: 0, overlaps: 0 };
  for (const run of runs) {
    expect(run.code, run.stderr).toBe(0);
    const counts = JSON.parse(run.stdout) as Counts;
    total.acquired += counts.acquired;
    total.planted += counts.planted;
    total.overlaps += counts.overlaps;
  }
  // The last dead lock planted may stay (no take after it); nothing else of the takers does.
  expect(readdirSync(directory).filter((name) => name !== ".etl.lock")).toEqual([]);
  return total;
}

describe("a dead holder's exporter lock broken by eight takers of two processes at once", () => {
  it("never has two holders (locks of this version)", async () => {
    const counts = await contend("directory");
    // Most of the 240 takes, unless the machine is loaded for 15 s.
    expect(counts.acquired).toBeGreaterThan(30);
    expect(counts.overlaps).toBe(0);
  });

  it("never has two holders (locks of the previous version left behind)", async () => {
    const counts = await contend("file");
    expect(counts.acquired).toBeGreaterThan(30);
    expect(counts.overlaps).toBe(0);
  });
});
