import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addCountRuns } from "../../../src/exporter/model/count-runs.js";
import { dayIndex } from "../../../src/exporter/model/day-numbers.js";
import { EventCounts, rollUpCounts } from "../../../src/exporter/model/event-counts.js";
import { type CountEntries, countCells, countsOf } from "../../helpers/count-entries.js";

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
      fc.property(countCells, countCells, (a, b) => {
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
      fc.property(fc.array(fc.tuple(countCells, zeros), { maxLength: 4 }), (given) => {
        const parts = given.map(([a, z]) => {
          const part = expected(a);
          for (const [channel, event] of z)
            part.addRun(channel, event, dayIndex("2025-01-01"), [0]);
          return part;
        });
        const sum = new EventCounts();
        for (const part of parts) sum.addAll(part);
        expect(maps(...parts)).toEqual(maps(sum));
      }),
      { numRuns: 200 },
    );
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
