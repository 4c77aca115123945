// Several app instances, each with its own Tracker, rotating one channel in one directory:
// whatever the interleaving of writes, rotations and compressions, every event is in exactly
// one file afterwards.
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseEvent } from "../../src/index.js";
import { channelFiles, channelLines, fileText } from "../helpers/rotated-files.js";
import { runTs } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const WRITERS = 4;
const COUNT = 2000;

async function runWriters(
  trigger: "size" | "hourly",
): Promise<{ directory: string; stats: Record<string, number>[] }> {
  const directory = tempDir();
  const start = String(Date.now());
  const results = await Promise.all(
    Array.from({ length: WRITERS }, (_, w) =>
      runTs("test/fixtures/processes/rotating-writer.ts", [
        directory,
        String(w),
        String(COUNT),
        trigger,
        start,
      ]),
    ),
  );
  for (const r of results) expect(r.code, r.stderr).toBe(0);
  return { directory, stats: results.map((r) => JSON.parse(r.stdout)) };
}

function expectEveryEventOnce(directory: string): void {
  const lines = channelLines(directory, "shared");
  const seen = Array.from({ length: WRITERS }, () => new Set<number>());
  for (const line of lines) {
    const parsed = parseEvent(JSON.parse(line));
    if (!parsed.ok) throw new Error(`invalid line: ${line.slice(0, 100)}`);
    const { writer, seq } = parsed.event.payload as { writer: number; seq: number };
    expect(seen[writer]?.has(seq), `writer ${writer} seq ${seq} twice`).toBe(false);
    seen[writer]?.add(seq);
  }
  expect(seen.map((s) => s.size)).toEqual(Array(WRITERS).fill(COUNT));
  expect(lines).toHaveLength(WRITERS * COUNT);
}

describe("several processes rotating one channel", () => {
  it("by size: no event lost or duplicated across segments, .gz files and the live file", async () => {
    const { directory, stats } = await runWriters("size");
    expectEveryEventOnce(directory);
    const files = channelFiles(directory, "shared");
    expect(files.length).toBeGreaterThan(20);
    expect(files.some((f) => f.endsWith(".gz"))).toBe(true);
    // Every rotation is one segment: nobody renamed a file another process had just started.
    const rotated = stats.reduce((sum, s) => sum + (s.rotated ?? 0), 0);
    expect(files.length - 1).toBe(rotated);
    expect(readdirSync(directory).filter((f) => f.includes(".tmp-"))).toEqual([]);
    // The decision is taken again under the lock: a segment is a file that had reached the
    // size (less one write), never a live file another process had just started.
    const sizes = files.slice(0, -1).map((f) => Buffer.byteLength(fileText(directory, f)));
    expect(Math.min(...sizes)).toBeGreaterThan(8192 - 4096);
  });

  it("by UTC hour (injected clock): no event lost or duplicated", async () => {
    const { directory, stats } = await runWriters("hourly");
    expectEveryEventOnce(directory);
    const files = channelFiles(directory, "shared");
    const rotated = stats.reduce((sum, s) => sum + (s.rotated ?? 0), 0);
    // One rotation per hour boundary crossed, whichever process got there first.
    expect(rotated).toBeGreaterThanOrEqual(1);
    expect(files.length - 1).toBe(rotated);
    const hours = files.slice(0, -1).map((f) => f.slice("shared.".length, "shared.".length + 11));
    expect(new Set(hours).size).toBe(hours.length);
  });
});
