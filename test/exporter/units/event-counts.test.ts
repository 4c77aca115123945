import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addCountRuns } from "../../../src/exporter/model/count-runs.js";
import { EventCounts, rollUpCounts } from "../../../src/exporter/model/event-counts.js";
import { type CountEntries, countsOf, entriesOf } from "../../helpers/count-entries.js";

const cells = fc.array(
  fc.tuple(
    fc.constantFrom("user", "system", "billing"),
    fc.constantFrom("a", "b", "c", "d"),
    fc.constantFrom("2025-01-01", "2025-01-02", "2025-02-28", "2026-12-31"),
    fc.integer({ min: 1, max: 2 ** 40 }),
  ),
  { maxLength: 40 },
);

// The report's maps, as plain sorted data (the report sorts every map).
function maps(...parts: EventCounts[]) {
  const { versions, ...rest } = rollUpCounts(parts);
  const flat = (m: Map<string, unknown>): unknown =>
    [...m]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => [k, v instanceof Map ? flat(v) : v]);
  return Object.fromEntries(
    [...Object.entries(rest), ["versions", versions]].map(([k, m]) => [
      k,
      flat(m as Map<string, unknown>),
    ]),
  );
}

// Every map rolled up by summing the flat cells, the plainest way.
function expected(entries: CountEntries) {
  const counts = countsOf(entries);
  counts.addVersion("telemetry_event_v1", 1);
  return counts;
}

describe("EventCounts", () => {
  it("adds another's counts as merging their flat copy does, and rolls them up the same", () => {
    fc.assert(
      fc.property(cells, cells, (a, b) => {
        const left = expected(a);
        const right = expected(b);
        left.addAll(right);
        const flat = expected([...a, ...b]);
        flat.addVersion("telemetry_event_v1", 1);
        expect(maps(left)).toEqual(maps(flat));
        const sums = new Map<string, number>();
        for (const [channel, , , n] of [...a, ...b])
          sums.set(channel, (sums.get(channel) ?? 0) + n);
        expect(rollUpCounts([left]).byChannel).toEqual(sums);
      }),
      { numRuns: 200 },
    );
  });

  it("rolls up parts (a run's files) as it rolls up their sum, saved zeros included", () => {
    const zeros = fc.array(
      fc.tuple(fc.constantFrom("user", "system"), fc.constantFrom("a", "z"), fc.constant(0)),
      { maxLength: 3 },
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(cells, zeros), { maxLength: 4 }), (given) => {
        const parts = given.map(([a, z]) => {
          const part = expected(a);
          for (const [channel, event] of z) part.days(channel, event);
          return part;
        });
        const sum = new EventCounts();
        for (const part of parts) sum.addAll(part);
        expect(maps(...parts)).toEqual(maps(sum));
      }),
      { numRuns: 200 },
    );
  });

  it("merges another thread's packed counts, after a structured clone, cell for cell and in order", () => {
    fc.assert(
      fc.property(cells, cells, (a, b) => {
        const mine = countsOf(a);
        const theirs = countsOf(b);
        const sent = structuredClone(theirs.pack());
        mine.merge(sent, [["telemetry_event_v1", 2]]);
        const whole = countsOf([...a, ...b]);
        expect(entriesOf(mine)).toEqual(entriesOf(whole));
        expect(mine.versions).toEqual(new Map([["telemetry_event_v1", 2]]));
      }),
      { numRuns: 200 },
    );
  });

  it("packs each name and day once, and counts beyond 2^32 exactly", () => {
    const counts = countsOf([
      ["user", "a", "2025-01-01", 2 ** 40 + 1],
      ["user", "a", "2025-01-02", 1],
      ["system", "a", "2025-01-01", 3],
    ]);
    const { names, days, cells } = counts.pack();
    expect(names).toEqual(["user", "a", "system", "a"]);
    expect(days).toEqual(["2025-01-01", "2025-01-02"]);
    expect([...cells]).toEqual([0, 0, 2 ** 40 + 1, 0, 1, 1, 1, 0, 3]);
    expect(new EventCounts().pack().cells.length).toBe(0);
  });

  it("leaves out of the report a name whose saved days all count nothing", () => {
    const counts = new EventCounts();
    addCountRuns(counts, [
      ["user", "gone", "2025-01-01", [0, 0]],
      ["user", "kept", "2025-01-01", [0, 3]],
    ]);
    const { byChannel, byEvent, byDay, byChannelEvent } = rollUpCounts([counts]);
    expect(byChannel).toEqual(new Map([["user", 3]]));
    expect(byEvent).toEqual(new Map([["kept", 3]]));
    expect(byDay).toEqual(new Map([["2025-01-02", 3]]));
    expect(byChannelEvent).toEqual(new Map([["user", new Map([["kept", 3]])]]));
  });
});
