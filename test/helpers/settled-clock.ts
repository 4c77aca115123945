import type { ReadClock } from "../../src/exporter/index.js";

/**
 * A read clock for tests that write their files before a run and never while it reads: every
 * file has settled, so a torn last line is read as torn at once instead of after the settle
 * time (a quarter second a run, which property tests pay hundreds of times). The wait itself,
 * with real writers, is test/faults/live-files.test.ts's.
 */
export const SETTLED: ReadClock = {
  now: () => Date.now() + 3_600_000,
  sleep: async () => {},
};
