import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readLines } from "../helpers/read-lines.js";
import { runTs } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("a producer far faster than the disk", () => {
  it("keeps peak memory bounded and loses nothing by default", async () => {
    const directory = tempDir();
    const count = 400_000;
    // About 80 MB of events go through a heap capped at 32 MB: a tracker that held them (a
    // queue in front of a slow disk) would end in "heap out of memory". A cap on the heap, not
    // on RSS: how much garbage a process carries before it collects varies with the machine's
    // load (RSS was 90 MB on a quiet machine, 206 MB in a busy suite).
    const result = await runTs(
      "test/fixtures/processes/record-many.ts",
      [directory, String(count)],
      ["--max-old-space-size=32"],
    );
    expect(result.code, result.stderr).toBe(0);
    const { written, maxRssKiB } = JSON.parse(result.stdout) as {
      written: number;
      maxRssKiB: number;
    };
    expect(written).toBe(count);
    expect(maxRssKiB).toBeGreaterThan(0);
    expect(readLines(join(directory, "load.jsonl"))).toHaveLength(count);
  });
});
