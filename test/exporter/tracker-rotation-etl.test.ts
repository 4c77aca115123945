import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runEtl } from "../../src/exporter/index.js";
import { Tracker } from "../../src/index.js";
import { NOW } from "../helpers/event-lines.js";
import { waitFor } from "../helpers/rotated-files.js";
import { tempDir } from "../helpers/temp-dir.js";

// The two halves together: a Tracker rotating by size, gzipping and deleting segments, and an
// incremental ETL run after each burst. Every event recorded is exported exactly once.

function exported(path: string): number[] {
  const events = JSON.parse(readFileSync(path, "utf8")) as { payload: { i: number } }[];
  return events.map((e) => e.payload.i).sort((a, b) => a - b);
}

describe("incremental ETL over a Tracker's rotated, compressed and retired segments", () => {
  it("exports every event once, never falling back to a full run", async () => {
    const directory = tempDir();
    const out = tempDir();
    let recorded = 0;
    let archived = 0;
    // At most two rotations a burst and three segments kept: retention deletes only segments an
    // earlier run has read.
    const tracker = new Tracker({
      directory,
      bufferBytes: 0,
      rotate: { size: 6000, compress: true, maxSegments: 3, graceMs: 0 },
    });
    for (let round = 0; round < 6; round++) {
      for (let n = 0; n < 60; n++) {
        tracker.record("user", "tick", { i: recorded++, pad: "x".repeat(40) });
      }
      // The run comes after the Tracker's maintenance: segments gzipped, the oldest deleted.
      await waitFor(() => {
        const segments = readdirSync(directory).filter((n) => /^user\.\d{8}T/.test(n));
        return segments.length <= 3 && segments.every((n) => n.endsWith(".gz"));
      });
      const result = await runEtl({
        inputs: [directory],
        outputDir: out,
        incremental: true,
        now: NOW,
      });
      expect(result.incremental?.mode).toBe(round === 0 ? "full" : "incremental");
      expect(exported(result.eventsPath)).toEqual(Array.from({ length: recorded }, (_, i) => i));
      expect(result.report.totals.valid).toBe(recorded);
      archived = result.incremental?.archived?.length ?? 0;
    }
    await tracker.close();
    const names = readdirSync(directory);
    expect(names.some((n) => n.endsWith(".jsonl.gz"))).toBe(true);
    expect(archived).toBeGreaterThan(0);
  }, 60_000);
});
