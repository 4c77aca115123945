// Compaction encodes and writes one merged group while it reads the next: a source found damaged
// while a group is being written must still fail the run cleanly, with nothing published and
// nothing left in its staging, whatever the write in flight does.
import { readdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { eventLine } from "../helpers/event-lines.js";
import { runBin } from "../helpers/run-bin.js";
import { tempDir } from "../helpers/temp-dir.js";

const parquetFiles = (dir: string) =>
  (readdirSync(dir, { recursive: true }) as string[])
    .map(String)
    .filter((f) => f.endsWith(".parquet"));

describe("compaction over a damaged part file", () => {
  it("fails with exit 1 after merged groups were written, and leaves the dataset and no staging", async () => {
    const base = tempDir();
    const lines = Array.from({ length: 3000 }, (_, k) =>
      eventLine({
        event: `e${k % 5}`,
        timestamp: new Date(Date.UTC(2025, 2, 1, 0, 0, k)),
        payload: { k },
      }),
    );
    writeFileSync(join(base, "user.jsonl"), `${lines.join("\n")}\n`);
    const dataset = join(base, "events");
    const exported = await runBin([
      ...["export", "-i", join(base, "user.jsonl"), "-f", "parquet", "--partition-by", "channel"],
      ...["-o", dataset, "--writer", "w", "--row-group-size", "100", "-q"],
    ]);
    expect(exported.code).toBe(0);
    const parts = parquetFiles(dataset).sort();
    expect(parts).toHaveLength(30);
    // Its footer intact (read before any merge), its first pages not: found when its turn comes,
    // after 1,900 rows, three groups of 500, were merged.
    const damaged = realpathSync(join(dataset, parts[19] as string));
    const bytes = readFileSync(damaged);
    bytes.fill(0xff, 4, 400);
    writeFileSync(damaged, bytes);
    const before = parts.map((f) => readFileSync(join(dataset, f)).toString("base64"));

    const run = await runBin(["compact", dataset, "--row-group-size", "500"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: /m);
    expect(parquetFiles(dataset).sort()).toEqual(parts);
    expect(parts.map((f) => readFileSync(join(dataset, f)).toString("base64"))).toEqual(before);
    expect(parquetFiles(join(base, ".events.dataset", "stage"))).toEqual([]);
  });
});
