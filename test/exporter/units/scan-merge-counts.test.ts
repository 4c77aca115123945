// `inconsistent_counts` (docs/errors.md, docs/formats.md): a file whose lines are not its valid,
// invalid, blank and filtered lines added up fails the scan, rather than a report that does not
// add up being written.
import { describe, expect, it } from "vitest";
import { ScanMerge } from "../../../src/exporter/engine/scan-merge.js";
import type { SegmentResult } from "../../../src/exporter/engine/segment.js";
import { DiagnosticLog } from "../../../src/exporter/model/diagnostics.js";
import type { LineCounts } from "../../../src/exporter/model/line-counts.js";
import type { ReadPlan } from "../../../src/exporter/plan/run-plan.js";
import type { ScanPlan } from "../../../src/exporter/plan/scan-plan.js";

// One planned file of 100 bytes, read as one segment with these counts.
function mergeOne(counts: Omit<LineCounts, "warnings">) {
  const read = { inputs: ["in"], resolved: { missing: [] }, strict: false, filters: undefined };
  const plan = { files: [{ path: "in/a.jsonl", bytes: 100 }], lineBase: [0] };
  const merge = new ScanMerge(
    read as unknown as ReadPlan,
    plan as unknown as ScanPlan,
    new DiagnosticLog(false, undefined),
  );
  const result: SegmentResult = {
    index: 0,
    fileIndex: 0,
    start: 0,
    bytes: 100,
    warnings: 0,
    first: null,
    last: null,
    diagnostics: [],
    byCode: {},
    events: counts.valid,
    ...counts,
  };
  merge.add(result);
  return merge.result();
}

describe("a scan's line counts add up, file by file", () => {
  it("a file whose lines add up is the scan's result", () => {
    const scan = mergeOne({ lines: 7, valid: 3, invalid: 1, blank: 2, filtered: 1 });
    expect(scan.totals).toMatchObject({ files: 1, lines: 7, valid: 3 });
  });

  it("a file whose lines do not fails with inconsistent_counts, naming it and its counts", () => {
    expect(() => mergeOne({ lines: 7, valid: 3, invalid: 1, blank: 2, filtered: 0 })).toThrow(
      expect.objectContaining({
        code: "inconsistent_counts",
        message: "in/a.jsonl: 7 lines but 3 valid + 1 invalid + 2 blank + 0 filtered",
      }),
    );
  });
});
