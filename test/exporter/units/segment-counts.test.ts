import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SegmentCounts } from "../../../src/exporter/engine/segment-counts.js";
import { EventCounts } from "../../../src/exporter/model/event-counts.js";
import { countCells, countsOf, entriesOf, packed } from "../../helpers/count-entries.js";

describe("SegmentCounts", () => {
  it("reaches the main thread's counts, after a structured clone, cell for cell and in order", () => {
    fc.assert(
      fc.property(countCells, countCells, (a, b) => {
        const mine = countsOf(a);
        mine.merge(structuredClone(packed(b)), [["telemetry_event_v1", 2]]);
        expect(entriesOf(mine)).toEqual(entriesOf(countsOf([...a, ...b])));
        expect(mine.versions).toEqual(new Map([["telemetry_event_v1", 2]]));
      }),
      { numRuns: 200 },
    );
  });

  it("packs each name and day once, its cells in the order first counted, beyond 2^32 exactly", () => {
    const counts = new SegmentCounts();
    const first = counts.slot("user", "a", "2025-01-01");
    counts.add(counts.slot("system", "a", "2025-01-01"), 3);
    counts.add(first, 2 ** 40);
    counts.add(counts.slot("user", "a", "2025-01-02"), 1);
    counts.add(counts.slot("user", "a", "2025-01-01"), 1);
    const { names, days, cells } = counts.pack();
    expect(names).toEqual(["user", "a", "system", "a"]);
    expect(days).toEqual(["2025-01-01", "2025-01-02"]);
    expect([...cells]).toEqual([0, 0, 2 ** 40 + 1, 1, 0, 3, 0, 1, 1]);
    expect(new SegmentCounts().pack()).toEqual({ names: [], days: [], cells: new Float64Array(0) });
  });

  it("counts a parsed event (its timestamp canonical, in UTC) by day, and its schema version", () => {
    const counts = new SegmentCounts();
    counts.addFields("telemetry_event_v1", "user", "a", "2025-01-01T23:59:59.999Z");
    counts.addFields("telemetry_event_v1", "user", "a", "2025-01-02T00:00:00.000Z");
    counts.addFields("telemetry_event_v1", "user", "a", "2025-01-02T12:00:00.000000Z");
    const merged = new EventCounts();
    merged.merge(counts.pack(), [...counts.versions]);
    expect(entriesOf(merged)).toEqual([
      ["user", "a", "2025-01-01", 1],
      ["user", "a", "2025-01-02", 2],
    ]);
    expect(merged.versions).toEqual(new Map([["telemetry_event_v1", 3]]));
  });
});
