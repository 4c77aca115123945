import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addCountRuns,
  type CountRun,
  isCountRun,
  toCountRuns,
} from "../../../src/exporter/model/count-runs.js";
import { EventCounts } from "../../../src/exporter/model/event-counts.js";
import { type CountEntries, countsOf, entriesOf } from "../../helpers/count-entries.js";

const runsOf = (entries: CountEntries) => toCountRuns(countsOf(entries));
const back = (runs: CountRun[]): CountEntries => {
  const counts = new EventCounts();
  addCountRuns(counts, runs);
  return entriesOf(counts);
};
const key = (e: CountEntries[number]) => e.slice(0, 3).join("|");
const sorted = (entries: CountEntries) => [...entries].sort((a, b) => (key(a) < key(b) ? -1 : 1));

describe("count runs", () => {
  it("keeps consecutive days in one run, in day order, and starts another after a gap", () => {
    const runs = runsOf([
      ["user", "a", "2025-03-02", 5],
      ["user", "a", "2025-02-28", 1],
      ["user", "a", "2025-03-01", 2],
      ["user", "b", "2025-03-01", 9],
      ["user", "a", "2025-03-05", 4],
    ]);
    expect(runs).toEqual([
      ["user", "a", "2025-02-28", [1, 2, 5]],
      ["user", "a", "2025-03-05", [4]],
      ["user", "b", "2025-03-01", [9]],
    ]);
    expect(runs.every(isCountRun)).toBe(true);
  });

  it("reads back exactly the counts it was given, whatever the days", () => {
    const day = fc
      .date({ min: new Date(Date.UTC(0, 0, 1) - 1), max: new Date("9999-12-31T00:00:00Z") })
      .filter((d) => !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 0)
      .map((d) => d.toISOString().slice(0, 10));
    const entries = fc
      .uniqueArray(
        fc.tuple(fc.constantFrom("user", "system"), fc.constantFrom("a", "b", "c"), day),
        { selector: (t) => t.join("|"), maxLength: 60 },
      )
      .chain((cells) =>
        fc.tuple(
          fc.constant(cells),
          fc.array(fc.integer({ min: 1, max: 2 ** 40 }), {
            minLength: cells.length,
            maxLength: cells.length,
          }),
        ),
      )
      .map(([cells, ns]) => cells.map((c, k) => [...c, ns[k]] as CountEntries[number]));
    fc.assert(
      fc.property(entries, (given) => {
        const runs = runsOf(given);
        expect(runs.every(isCountRun)).toBe(true);
        expect(sorted(back(runs))).toEqual(sorted(given));
      }),
      { numRuns: 300 },
    );
  });

  it("refuses what is not a run", () => {
    expect(isCountRun(["user", "a", "2025-03-01", [1, 0, 2]])).toBe(true);
    for (const bad of [
      ["user", "a", "2025-03-01", []],
      ["user", "a", "2025-03-01", [1.5]],
      ["user", "a", "2025-03-01", [-1]],
      ["user", "a", "2025-03-01", ["1"]],
      ["user", "a", "2025-3-1", [1]],
      ["user", "a", "2025-03-01"],
      [1, "a", "2025-03-01", [1]],
      "user",
    ]) {
      expect(isCountRun(bad)).toBe(false);
    }
  });

  it("leaves out days of a run that count nothing", () => {
    expect(back([["user", "a", "2025-03-01", [1, 0, 2]]])).toEqual([
      ["user", "a", "2025-03-01", 1],
      ["user", "a", "2025-03-03", 2],
    ]);
  });
});
