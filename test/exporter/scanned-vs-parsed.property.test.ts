import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { processSegment } from "../../src/exporter/engine/process-segment.js";
import type { SegmentResult } from "../../src/exporter/engine/segment.js";
import { LooseLineScanner } from "../../src/schema/loose-line-scanner.js";
import { eventLine } from "../helpers/event-lines.js";
import { producerLine } from "../helpers/producer-lines.js";
import { tempDir } from "../helpers/temp-dir.js";

type Want = Parameters<typeof processSegment>[0]["want"];

async function read(
  path: string,
  size: number,
  parsed: boolean,
  want: Want,
): Promise<SegmentResult> {
  return processSegment(
    {
      segment: { index: 0, fileIndex: 0, path, start: 0, end: size, gzip: false },
      want,
      maxLineBytes: 1 << 20,
      filters: undefined,
    },
    // An event hook makes every line go through the parser and the schema: the reference.
    parsed ? { event: () => {} } : {},
  );
}

// Text and columns together (the scanners compose whole lines), columns alone (they compose
// only the payload), and text alone (the loose scanner writes each line into the text output,
// timestamps cut to microseconds for JSON).
const WANTS: [string, Want][] = [
  ["text and columns", { counts: true, text: "jsonl", columns: true, allDiagnostics: true }],
  ["columns alone", { counts: true, text: undefined, columns: true, allDiagnostics: true }],
  ["JSON text alone", { counts: true, text: "json", columns: false, allDiagnostics: true }],
  ["JSON Lines text alone", { counts: true, text: "jsonl", columns: false, allDiagnostics: true }],
];

describe("byte scanners vs the parser, over whole segments (differential)", () => {
  it.each(WANTS)(
    "gives the same events, counts, outputs, columns and diagnostics for any mix of producers' lines (%s)",
    async (_, want) => {
      const dir = tempDir();
      let scanned = 0;
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.oneof(
              { weight: 6, arbitrary: producerLine },
              { weight: 1, arbitrary: fc.constant(eventLine({ payload: { a: [1, 2.5] } })) },
              { weight: 1, arbitrary: fc.constantFrom("", "{bad", "[]", "  ") },
            ),
            { minLength: 1, maxLength: 12 },
          ),
          async (lines) => {
            for (const line of lines) {
              const bytes = Buffer.from(line);
              if (new LooseLineScanner().scan(bytes, 0, bytes.length) !== undefined) scanned++;
            }
            const path = join(dir, `mix-${run++}.jsonl`);
            const text = `${lines.join("\n")}\n`;
            writeFileSync(path, text);
            const size = Buffer.byteLength(text);
            const fast = await read(path, size, false, want);
            const slow = await read(path, size, true, want);
            expect(fast).toEqual(slow);
          },
        ),
        { numRuns: 300 },
      );
      // The comparison means something only if the loose scanner took many of the lines.
      expect(scanned).toBeGreaterThan(200);
    },
  );
});
