import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// Only this module: the classifier must not be loaded by anything else before the test runs.
import { processSegment } from "../../src/exporter/engine/process-segment.js";
import { eventLine } from "../helpers/event-lines.js";
import { tempDir } from "../helpers/temp-dir.js";

const line = (i: number) => eventLine({ event: `e${i}`, payload: { i } });

describe("the line classifier, loaded on the first line that needs it", () => {
  it("reads a segment again from its start when a non-canonical line comes after canonical ones", async () => {
    const path = join(tempDir(), "user.jsonl");
    const text = `${line(1)}\n${line(2)}\n{bad\n ${line(3)}\n`;
    writeFileSync(path, text);
    const result = await processSegment({
      segment: {
        index: 0,
        fileIndex: 0,
        path,
        start: 0,
        end: Buffer.byteLength(text),
        gzip: false,
      },
      want: { counts: true, text: "jsonl", columns: false, allDiagnostics: true },
      maxLineBytes: 1 << 20,
      filters: undefined,
    });
    expect(result).toMatchObject({ lines: 4, valid: 3, invalid: 1, events: 3 });
    expect(result.diagnostics.map((d) => [d.line, d.code])).toEqual([[3, "invalid_json"]]);
    // Counted and written once each, though the first two lines were read twice.
    expect(Buffer.from(result.text as Uint8Array).toString()).toBe(
      `${line(1)}\n${line(2)}\n${line(3)}\n`,
    );
    expect(result.counts).toEqual({
      names: ["user", "e1", "user", "e2", "user", "e3"],
      days: ["2025-03-01"],
      cells: Float64Array.from([0, 0, 1, 1, 0, 1, 2, 0, 1]),
    });
  });
});
