import { expect } from "vitest";
import { runTs } from "./run-child.js";

/** What the takers of one contention fixture counted, summed over its processes. */
export interface ContentionCounts {
  readonly acquired: number;
  readonly planted: number;
  readonly overlaps: number;
}

/**
 * Two processes of the lock-contention `fixture`, each with `takers` concurrent takers making 30
 * takes (15 s at most) in `directory`, with locks of `format` planted as dead holders' locks.
 */
export async function contendForLock(
  fixture: string,
  directory: string,
  takers: number,
  format: string,
): Promise<ContentionCounts> {
  const runs = await Promise.all(
    [0, 1].map(() => runTs(fixture, [directory, String(takers), "30", "15000", format])),
  );
  const total = { acquired: 0, planted: 0, overlaps: 0 };
  for (const run of runs) {
    expect(run.code, run.stderr).toBe(0);
    const counts = JSON.parse(run.stdout) as ContentionCounts;
    total.acquired += counts.acquired;
    total.planted += counts.planted;
    total.overlaps += counts.overlaps;
  }
  return total;
}
