import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readLines } from "../helpers/read-lines.js";
import { runTs } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("a producer far faster than the disk", () => {
  it("keeps peak memory bounded and loses nothing by default", async () => {
    const directory = tempDir();
    const count = 400_000;
    const result = await runTs("test/fixtures/processes/record-many.ts", [
      directory,
      String(count),
    ]);
    expect(result.code, result.stderr).toBe(0);
    const { written, maxRssKiB } = JSON.parse(result.stdout) as {
      written: number;
      maxRssKiB: number;
    };
    expect(written).toBe(count);
    // About 80 MB of events go through; the process never holds them (documented cap: 200 MB RSS).
    expect(maxRssKiB / 1024).toBeLessThan(200);
    expect(readLines(join(directory, "load.jsonl"))).toHaveLength(count);
  });
});
