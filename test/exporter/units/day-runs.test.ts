import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dayIndex, dayText } from "../../../src/exporter/model/day-numbers.js";
import { type DayRun, mergeRuns } from "../../../src/exporter/model/day-runs.js";

// Runs as the plainest form: day -> count.
function flat(runs: readonly DayRun[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const { start, counts } of runs) {
    for (const [k, n] of counts.entries()) out.set(start + k, n);
  }
  return out;
}

// Runs as mergeRuns takes them: in day order, apart, no zeros.
const runs = fc
  .array(
    fc.tuple(
      fc.integer({ min: 0, max: 3 }),
      fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
    ),
    { maxLength: 5 },
  )
  .map((gaps) => {
    let day = -3;
    return gaps.map(([gap, counts]) => {
      const run = { start: day + gap + 1, counts };
      day = run.start + counts.length;
      return run;
    });
  });
const extra = fc
  .uniqueArray(fc.tuple(fc.integer({ min: -5, max: 30 }), fc.integer({ min: 1, max: 9 })), {
    selector: ([day]) => day,
    maxLength: 8,
  })
  .map((cells) => [...cells].sort((a, b) => a[0] - b[0]));

describe("day numbers", () => {
  it("step over month, year and leap-day boundaries", () => {
    const next = (day: string) => dayText(dayIndex(day) + 1);
    expect(next("2024-02-28")).toBe("2024-02-29");
    expect(next("2024-02-29")).toBe("2024-03-01");
    expect(next("2025-02-28")).toBe("2025-03-01");
    expect(next("1900-02-28")).toBe("1900-03-01");
    expect(next("2000-02-28")).toBe("2000-02-29");
    expect(next("2025-12-31")).toBe("2026-01-01");
    expect(next("0000-12-31")).toBe("0001-01-01");
    expect(next("9999-12-30")).toBe("9999-12-31");
    expect(dayIndex("1970-01-01")).toBe(0);
  });

  it("name no day for a text that is none", () => {
    for (const bad of ["2025-02-30", "2025-13-01", "2025-00-10", "2025-04-31"]) {
      expect(dayIndex(bad)).toBeNaN();
    }
  });
});

describe("mergeRuns", () => {
  it("adds the extra counts, day by day, into runs in day order, apart and without zeros", () => {
    fc.assert(
      fc.property(runs, extra, (given, cells) => {
        const frozen = given.map((r) => ({ start: r.start, counts: Object.freeze([...r.counts]) }));
        const merged = mergeRuns(frozen, cells);
        const expected = flat(given);
        for (const [day, n] of cells) expected.set(day, (expected.get(day) ?? 0) + n);
        expect(flat(merged)).toEqual(expected);
        for (let k = 0; k < merged.length; k++) {
          const run = merged[k] as DayRun;
          expect(run.counts.length).toBeGreaterThan(0);
          expect(run.counts.includes(0)).toBe(false);
          const before = merged[k - 1];
          if (before !== undefined) {
            expect(run.start).toBeGreaterThan(before.start + before.counts.length);
          }
        }
        // The runs given are never changed (they may be a saved state's arrays).
        expect(frozen.map((r) => [...r.counts])).toEqual(given.map((r) => r.counts));
      }),
      { numRuns: 500 },
    );
  });

  it("keeps a run no extra day falls in as the same object", () => {
    const early = { start: 0, counts: [1, 2] };
    const late = { start: 10, counts: [3] };
    const merged = mergeRuns([early, late], [[5, 7]]);
    expect(merged[0]).toBe(early);
    expect(merged[2]).toBe(late);
    expect(merged[1]).toEqual({ start: 5, counts: [7] });
    // Adjacent after a run: the run is copied and grows; the original stays.
    expect(mergeRuns([early], [[2, 4]])).toEqual([{ start: 0, counts: [1, 2, 4] }]);
    expect(early.counts).toEqual([1, 2]);
    // A day between two runs joins them.
    expect(mergeRuns([early, { start: 3, counts: [5] }], [[2, 1]])).toEqual([
      { start: 0, counts: [1, 2, 1, 5] },
    ]);
  });
});
