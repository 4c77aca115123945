import { isUtf8 } from "node:buffer";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  classifyBytes,
  classifyText,
  type LineOutcome,
} from "../../src/exporter/engine/classify-line.js";
import { LineSplitter } from "../../src/exporter/engine/line-splitter.js";
import { exportEvents, scanEvents } from "../../src/exporter/index.js";
import { Tracker } from "../../src/index.js";
import { SETTLED } from "../helpers/settled-clock.js";
import { tempDir } from "../helpers/temp-dir.js";

const VALID =
  '{"schema_version":"telemetry_event_v1","channel":"user","event":"e","timestamp":"2025-03-01T10:00:00.000Z","payload":{"k":1}}';

// Lines (as bytes, without \n): valid events, CRLF, blanks, arbitrary bytes and text.
const stripNewlines = (b: Uint8Array) => Buffer.from(b.filter((x) => x !== 0x0a));
const line = fc.oneof(
  fc.constant(Buffer.from(VALID)),
  fc.constant(Buffer.from(`${VALID}\r`)),
  fc.constant(Buffer.alloc(0)),
  fc.constant(Buffer.from("  \t")),
  fc.uint8Array({ maxLength: 40 }).map(stripNewlines),
  fc.string({ maxLength: 300, unit: "binary" }).map((s) => stripNewlines(Buffer.from(s, "utf8"))),
);
const isValid = (b: Buffer) => b.equals(Buffer.from(VALID)) || b.equals(Buffer.from(`${VALID}\r`));

function splitAt(data: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const p of points) {
    chunks.push(data.subarray(start, p));
    start = p;
  }
  chunks.push(data.subarray(start));
  return chunks;
}

function describeOutcome(o: LineOutcome): string {
  return o.kind === "invalid" ? `invalid:${o.code}` : o.kind;
}

function run(chunks: Buffer[], max: number) {
  const outcomes: string[] = [];
  const splitter = new LineSplitter(max, {
    // Offered the bytes first: take those that start with "{" and fit the limit (as the
    // canonical scanner might), which must then be exactly the line's bytes and never reach
    // text().
    utf8: (buffer, start, end, n) => {
      if (buffer[start] !== 0x7b || end - start > max) return false;
      const bytes = Buffer.from(buffer.subarray(start, end));
      if (bytes.includes(0x0a) || !isUtf8(bytes)) outcomes.push(`${n}:wrong-bytes`);
      outcomes.push(`${n}:taken:${bytes.toString("hex")}`);
      return true;
    },
    text: (line, n, terminated, raw) => {
      // The tracked byte range is exactly the bytes the line was decoded from.
      const bytes = Buffer.from(raw.buffer.subarray(raw.start, raw.end));
      if (bytes.toString("utf8") !== line) outcomes.push(`${n}:wrong-bytes`);
      outcomes.push(`${n}:${describeOutcome(classifyText(line, terminated, n === 1, max))}`);
    },
    bytes: (line, n, terminated) =>
      outcomes.push(`${n}:${describeOutcome(classifyBytes(line, terminated, n === 1, max))}`),
    tooLong: (n) => outcomes.push(`${n}:invalid:line_too_long`),
  });
  for (const chunk of chunks) splitter.push(Buffer.from(chunk));
  splitter.end();
  return outcomes;
}

describe("line reader fuzzing", () => {
  it("arbitrary bytes at arbitrary chunk boundaries: never throws, same result as one chunk", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            line,
            fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
          ),
          { maxLength: 30 },
        ),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.integer({ min: 8, max: 400 }),
        (parts, finalNewline, cuts, max) => {
          const joined = Buffer.concat(
            parts.flatMap((p, i) =>
              i < parts.length - 1 || finalNewline ? [p, Buffer.from("\n")] : [p],
            ),
          );
          const whole = run([joined], max);
          expect(run(splitAt(joined, cuts), max)).toEqual(whole);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("never loses or invents a valid line, and lines = valid + invalid + blank", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 40 }),
        fc.boolean(),
        async (lines, finalNewline) => {
          const dir = tempDir();
          const parts = lines.flatMap((l, i) =>
            i < lines.length - 1 || finalNewline ? [l, Buffer.from("\n")] : [l],
          );
          const data = Buffer.concat(parts);
          writeFileSync(join(dir, "f.jsonl"), data);
          const scan = await scanEvents({ inputs: [dir], clock: SETTLED }, []);
          expect(scan.totals.valid).toBe(lines.filter(isValid).length);
          const t = scan.totals;
          expect(t.lines).toBe(t.valid + t.invalid + t.blank);
          const newlines = data.filter((b) => b === 0x0a).length;
          const physical = newlines + (data.length > 0 && data.at(-1) !== 0x0a ? 1 : 0);
          expect(t.lines).toBe(physical);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("record() -> exporter property", () => {
  it("for any sequence of record() calls, the exported events equal the recorded ones", async () => {
    const payload = fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 3 }), {
      maxKeys: 6,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.constantFrom("user", "simulation", "system"),
            fc.constantFrom("a", "b.c", "D e"),
            payload,
          ),
          { maxLength: 30 },
        ),
        async (calls) => {
          const input = tempDir();
          const tracker = new Tracker({ directory: input });
          const recorded = calls.map(([channel, event, data]) =>
            tracker.record(channel, event, data),
          );
          await tracker.close();
          const output = join(tempDir(), "out.jsonl");
          const stream = await exportEvents({ inputs: [input], format: "jsonl", output });
          const exported = (await import("node:fs"))
            .readFileSync(output, "utf8")
            .split("\n")
            .filter(Boolean)
            .map((l) => JSON.parse(l));
          const byFile = ["simulation", "system", "user"].flatMap((ch) =>
            recorded.filter((e) => e.channel === ch),
          );
          expect(exported).toEqual(byFile);
          expect(stream.events).toBe(recorded.length);
        },
      ),
      { numRuns: 60 },
    );
  });
});
