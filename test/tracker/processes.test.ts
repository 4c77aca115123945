import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseEvent } from "../../src/index.js";
import { readLines } from "../helpers/read-lines.js";
import { runTs } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const exitPaths = "test/fixtures/processes/exit-paths.ts";

describe("durability across exit paths (no close() called)", () => {
  it.each([
    ["natural", 0],
    ["exit", 0],
    ["exit-code", 7],
    ["uncaught", 1],
    ["rejection", 1],
  ])("every event is on disk after a %s exit", async (mode, expectedCode) => {
    const directory = tempDir();
    const count = 5000;
    const result = await runTs(exitPaths, [directory, mode, String(count)]);
    expect(result.code, result.stderr).toBe(expectedCode);
    const lines = readLines(join(directory, "user.jsonl"));
    expect(lines).toHaveLength(count);
    lines.forEach((line, i) => {
      const parsed = parseEvent(JSON.parse(line));
      expect(parsed.ok && parsed.event.payload.i).toBe(i);
    });
  });
});

describe("several processes appending to one channel file", () => {
  it.each([
    [300, 9000],
    [40, 200_000],
  ])(
    "never interleaves or splits lines, and loses none (%i events of %i bytes each)",
    async (count, size) => {
      const directory = tempDir();
      const writers = 4;
      const results = await Promise.all(
        Array.from({ length: writers }, (_, w) =>
          runTs("test/fixtures/processes/concurrent-writer.ts", [
            directory,
            String(w),
            String(count),
            String(size),
          ]),
        ),
      );
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      const all = readLines(join(directory, "shared.jsonl"));
      // A writer that opens the file while another's write is still landing may see a last byte
      // that is not yet "\n" and start with one: at most one blank line per writer, never a
      // glued or split event.
      const lines = all.filter((line) => line !== "");
      expect(all.length - lines.length).toBeLessThanOrEqual(writers);
      expect(lines).toHaveLength(writers * count);
      const seen = Array.from({ length: writers }, () => [] as number[]);
      for (const line of lines) {
        const parsed = parseEvent(JSON.parse(line));
        if (!parsed.ok) throw new Error(`invalid line: ${line.slice(0, 100)}`);
        const { writer, seq } = parsed.event.payload as { writer: number; seq: number };
        seen[writer]?.push(seq);
      }
      // Each writer's own events stay in order and complete.
      for (const seqs of seen) expect(seqs).toEqual(Array.from({ length: count }, (_, i) => i));
    },
  );
});
