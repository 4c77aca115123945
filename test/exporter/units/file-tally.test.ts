import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../../src/exporter/model/diagnostics.js";
import { FileTally, type RangeTally, widenRange } from "../../../src/exporter/model/file-tally.js";
import { packed } from "../../helpers/count-entries.js";

function range(lines: number, first: string, last: string, bad: number[] = []): RangeTally {
  const diagnostics: Diagnostic[] = bad.map((line) => ({
    file: "a.jsonl",
    line,
    code: "invalid_json",
    severity: "error",
    message: "bad",
  }));
  return {
    lines,
    valid: lines - bad.length,
    invalid: bad.length,
    blank: 0,
    filtered: 0,
    warnings: 0,
    first,
    last,
    counts: packed([["user", "e", first.slice(0, 10), lines - bad.length]]),
    versions: [["telemetry_event_v1", lines - bad.length]],
    diagnostics,
    byCode: bad.length ? { invalid_json: bad.length } : {},
  };
}

describe("FileTally", () => {
  it("adds consecutive ranges up to the tally of the whole file", () => {
    const whole = new FileTally();
    whole.add(range(10, "2025-03-02T00:00:00Z", "2025-03-03T00:00:00Z", [2]), 0);
    whole.add(range(5, "2025-03-01T00:00:00Z", "2025-03-02T12:00:00Z", [3]), 10);
    const head = new FileTally();
    head.add(range(10, "2025-03-02T00:00:00Z", "2025-03-03T00:00:00Z", [2]), 0);
    const rest = new FileTally();
    rest.add(range(5, "2025-03-01T00:00:00Z", "2025-03-02T12:00:00Z", [3]), 10);
    const sum = head.plus(rest);
    expect(sum.save()).toEqual(whole.save());
    expect(sum.inventory("a.jsonl", 99)).toMatchObject({
      lines: 15,
      invalid: 2,
      first_timestamp: "2025-03-01T00:00:00Z",
      last_timestamp: "2025-03-03T00:00:00Z",
    });
    // Diagnostic lines count from the file's first line: the second range starts at line 11.
    expect(sum.log.kept().map((d) => d.line)).toEqual([2, 13]);
  });

  it("restores what it saved", () => {
    const tally = new FileTally();
    tally.add(range(4, "2025-03-01T00:00:00Z", "2025-03-01T01:00:00Z", [1]), 0);
    expect(FileTally.restore(tally.save()).save()).toEqual(tally.save());
  });
});

describe("widenRange", () => {
  it("keeps the earliest first and the latest last, nulls meaning nothing yet", () => {
    expect(widenRange(null, null, "2025-03-02T00:00:00Z", "2025-03-03T00:00:00Z")).toEqual({
      first: "2025-03-02T00:00:00Z",
      last: "2025-03-03T00:00:00Z",
    });
    expect(
      widenRange("2025-03-02T00:00:00Z", "2025-03-03T00:00:00Z", "2025-03-01T00:00:00Z", null),
    ).toEqual({ first: "2025-03-01T00:00:00Z", last: "2025-03-03T00:00:00Z" });
    // Compared as instants, not as text: "…00Z" sorts after "…00.5Z" as text.
    expect(widenRange(null, "2025-03-01T00:00:00Z", null, "2025-03-01T00:00:00.5Z").last).toBe(
      "2025-03-01T00:00:00.5Z",
    );
  });
});
