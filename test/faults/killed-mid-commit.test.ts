// Real processes killed at the worst point of a commit, by a preloaded hook that SIGKILLs the
// CLI right after one rename: the next run must continue, not start over (a full run drops the
// events of every input file retention deleted since it was read).
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { duckdbRows } from "../helpers/duckdb.js";
import { historyWorld, minuteLines } from "../helpers/history-world.js";
import { BIN } from "../helpers/run-bin.js";
import { type ChildResult, finished } from "../helpers/run-child.js";
import { sortedEvents } from "../helpers/same-as-full.js";
import { tempDir } from "../helpers/temp-dir.js";

const hook = fileURLToPath(new URL("../helpers/kill-after-rename.cjs", import.meta.url));

function cli(args: readonly string[], killAfter?: RegExp): Promise<ChildResult> {
  const env = { ...process.env, KILL_AFTER_RENAME: killAfter?.source ?? "(?!)" };
  const child = spawn(process.execPath, ["--require", hook, BIN, ...args, "-q"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return finished(child);
}

describe("the ETL SIGKILLed while replacing its events file", () => {
  // After the new file's rename the old one is only under the link; after the next, the spare.
  for (const [at, killAfter] of [
    ["the events file's rename", /telemetry_events\.json$/],
    ["the spare's rename", /telemetry_events\.json\.spare$/],
  ] as const) {
    it(`continues at the next run when killed after ${at}`, async () => {
      const w = historyWorld();
      const out = tempDir();
      const etl = (kill?: RegExp) =>
        cli(["etl", "-i", w.input, "--output-dir", out, "--incremental"], kill);
      expect((await etl()).code).toBe(0);
      w.retire();
      w.write("user.jsonl", minuteLines(10, 5));
      expect((await etl(killAfter)).signal).toBe("SIGKILL");
      w.write("user.jsonl", minuteLines(15, 3));
      const next = await etl();
      expect(next).toMatchObject({ code: 0, stderr: "" });
      const full = tempDir();
      expect((await cli(["etl", "-i", w.history, "--output-dir", full])).code).toBe(0);
      const events = (dir: string) => sortedEvents(join(dir, "telemetry_events.json"));
      expect(events(out)).toHaveLength(25);
      expect(events(out)).toEqual(events(full));
    }, 60_000);
  }
});

describe("a partitioned export SIGKILLed between its two renames", () => {
  it("is put in place by the next run, which continues it", async () => {
    const w = historyWorld();
    const output = join(tempDir(), "events");
    const args = ["export", "-i", w.input, "-f", "parquet", "--partition-by", "channel"];
    const run = (kill?: RegExp) => cli([...args, "-o", output, "--incremental"], kill);
    expect((await run()).code).toBe(0);
    w.retire();
    w.write("user.jsonl", minuteLines(10, 5));
    expect((await run(/\.events\.old\.[0-9a-f]{8}$/)).signal).toBe("SIGKILL");
    expect(existsSync(output)).toBe(false);
    w.write("user.jsonl", minuteLines(15, 3));
    const next = await run();
    expect(next).toMatchObject({ code: 0, stderr: "" });
    const [row] = await duckdbRows(
      `SELECT count(*)::INTEGER AS n, count(DISTINCT timestamp)::INTEGER AS distinct_n FROM read_parquet('${output}/**/*.parquet', hive_partitioning = true)`,
    );
    expect(row).toEqual({ n: 25, distinct_n: 25 });
    expect(readdirSync(join(output, ".."))).toEqual(
      [".events.lock", "events"].filter((n) => existsSync(join(output, "..", n))),
    );
    expect(readFileSync(join(output, "_SUCCESS"), "utf8")).toContain("channel=");
  }, 60_000);
});
