// Compaction encodes and writes one merged group while it reads the next: a source found damaged
// while a group is being written must still fail the run cleanly, naming the file as the
// dataset holds it, with nothing published and nothing left in its staging; and a full disk met
// by the write in flight is what it reports.
import { readdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { eventLine } from "../helpers/event-lines.js";
import { runBin, runWithHook } from "../helpers/run-bin.js";
import { tempDir } from "../helpers/temp-dir.js";

const parquetFiles = (dir: string) =>
  (readdirSync(dir, { recursive: true }) as string[])
    .map(String)
    .filter((f) => f.endsWith(".parquet"));

// What the Parquet reader says of the damage below.
const reason = "thrift unhandled type: 15";

// A dataset of 30 part files of 100 rows, one damaged: by default its footer intact (read
// before any merge) and its first pages not (found when its turn comes).
async function damagedDataset(
  damagedAt: number,
  damage = (bytes: Buffer) => bytes.fill(0xff, 4, 400),
) {
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
  const damaged = realpathSync(join(dataset, parts[damagedAt] as string));
  writeFileSync(damaged, damage(readFileSync(damaged)));
  const before = parts.map((f) => readFileSync(join(dataset, f)).toString("base64"));
  const unchanged = () => {
    expect(parquetFiles(dataset).sort()).toEqual(parts);
    expect(parts.map((f) => readFileSync(join(dataset, f)).toString("base64"))).toEqual(before);
    expect(parquetFiles(join(base, ".events.dataset", "stage"))).toEqual([]);
  };
  return { dataset, unchanged, parts };
}

describe("compaction over a damaged part file", () => {
  it("fails with exit 1 after merged groups were written, and leaves the dataset and no staging", async () => {
    // After 1,900 rows: three groups of 500 merged, the fourth being filled.
    const { dataset, unchanged, parts } = await damagedDataset(19);
    const run = await runBin(["compact", dataset, "--row-group-size", "500"]);
    expect(run.code).toBe(1);
    // The file as it is named in the dataset (it is read through a link in the staging).
    expect(run.stderr).toBe(
      `error: cannot read the part file ${join(dataset, parts[19] as string)}: it is damaged, or not a Parquet file this tool wrote (${reason})\n`,
    );
    unchanged();
  });

  it("names a part file whose footer is damaged, before merging anything", async () => {
    // Cut short: its footer's length and magic gone.
    const { dataset, unchanged, parts } = await damagedDataset(7, (bytes) =>
      bytes.subarray(0, bytes.length - 6),
    );
    const run = await runBin(["compact", dataset]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `^error: cannot read the part file ${join(dataset, parts[7] as string)}: it is damaged, or not a Parquet file this tool wrote \\(.+\\)\n$`,
      ),
    );
    unchanged();
  });

  it("reports the full disk of the write in flight, not the damaged part read meanwhile", async () => {
    // The first group (500 rows) is being written when the next part, the damaged one, is read.
    const { dataset, unchanged } = await damagedDataset(5);
    const run = await runWithHook("fail-open.cjs", { FAIL_OPEN: "stage/.*part-00000" }, [
      ...["compact", dataset, "--row-group-size", "500"],
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: writing .*part-00000.* failed \(ENOSPC\)$/m);
    unchanged();
  });
});
