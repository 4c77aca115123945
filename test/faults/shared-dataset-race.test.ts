// Every publish to a shared dataset (any writer's) removes the versions before its own. A run
// that read its state from the version current when it opened the dataset could find it gone:
// it started over, then refused to commit ("another run of writer … committed"), so a cron job
// failed whenever another host published as it started.
import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { duckdbRows } from "../helpers/duckdb.js";
import { minuteLines } from "../helpers/history-world.js";
import { BIN, runBin } from "../helpers/run-bin.js";
import { finished } from "../helpers/run-child.js";
import { untilStopped } from "../helpers/stopped-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const hook = fileURLToPath(new URL("../helpers/stop-before-read.cjs", import.meta.url));

const exportArgs = (input: string, dataset: string, writer: string) => [
  ...["export", "-i", input, "-f", "parquet", "--partition-by", "channel", "-o", dataset],
  ...["--writer", writer, "--incremental"],
];

describe("a shared dataset's writer whose version is replaced while it reads its state", () => {
  it("continues from its state, keeping its archived files' rows", async () => {
    const base = tempDir();
    const [a, b] = [join(base, "in-a"), join(base, "in-b")];
    const dataset = join(base, "events");
    mkdirSync(a);
    mkdirSync(b);
    // Writer wa: a live file and a segment that retention deletes once it was read.
    appendFileSync(join(a, "user.jsonl"), minuteLines(0, 10, "a"));
    appendFileSync(join(a, "old.jsonl"), minuteLines(100, 7, "a"));
    appendFileSync(join(b, "user.jsonl"), minuteLines(0, 4, "b"));
    expect((await runBin([...exportArgs(a, dataset, "wa"), "-q"])).code).toBe(0);
    rmSync(join(a, "old.jsonl"));
    appendFileSync(join(a, "user.jsonl"), minuteLines(10, 3, "a"));

    const child = spawn(
      process.execPath,
      ["--require", hook, BIN, ...exportArgs(a, dataset, "wa")],
      {
        env: { ...process.env, STOP_BEFORE_READ: "\\.writers/wa\\.export-state\\.json$" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const done = finished(child);
    await untilStopped(child.pid as number);
    // Another writer publishes meanwhile: the version writer wa opened is removed.
    expect((await runBin([...exportArgs(b, dataset, "wb"), "-q"])).code).toBe(0);
    child.kill("SIGCONT");
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/incremental: read \d+ bytes/);
    expect(result.stderr).not.toMatch(/full run/);
    const rows = await duckdbRows(
      `SELECT channel, count(*)::INTEGER AS n FROM read_parquet('${dataset}/**/*.parquet', hive_partitioning = true) GROUP BY channel ORDER BY channel`,
    );
    expect(rows).toEqual([
      { channel: "a", n: 20 },
      { channel: "b", n: 4 },
    ]);
  }, 60_000);
});
