import {
  appendFileSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { join, relative } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ExportOptions, exportEvents } from "../../src/exporter/index.js";
import { exportStateSchema } from "../../src/exporter/state/state-schemas.js";
import { partitionedExportArgs, runCli } from "../helpers/cli.js";
import { duckdbRows } from "../helpers/duckdb.js";
import { eventLine } from "../helpers/event-lines.js";
import { SETTLED } from "../helpers/settled-clock.js";
import { tempDir } from "../helpers/temp-dir.js";

let serial = 0;
function lines(channel: string, n: number): string {
  return Array.from({ length: n }, () => {
    const k = serial++;
    return eventLine({
      channel,
      event: `e${k % 4}`,
      timestamp: new Date(Date.UTC(2025, 2, 1 + (k % 5), k % 24)),
      payload: { k },
    });
  }).join("\n");
}

function parts(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const entry of readdirSync(dir, { recursive: true }) as string[]) {
    if (entry.endsWith(".parquet"))
      out.set(relative(dir, join(dir, entry)), statSync(join(dir, entry)).ino);
  }
  return out;
}

const ROWS = `SELECT schema_version, channel, event, epoch_us(timestamp)::VARCHAR AS micros, payload::VARCHAR AS payload, day`;
async function rows(dir: string) {
  // DuckDB refuses a glob that matches nothing; an export of no events has no part file.
  if (parts(dir).size === 0) return [];
  return duckdbRows(
    `${ROWS} FROM read_parquet('${dir}/**/*.parquet', hive_partitioning = true) ORDER BY ALL`,
  );
}

// Part file names without ".parquet", sorted; and the same without their run id.
const runsOf = (files: Map<string, unknown>): string[] =>
  [...files.keys()].map((f) => f.replace(/\.parquet$/, "")).sort();
const withoutRun = (name: string): string => name.replace(/-[0-9a-f-]{36}$/, "");

describe("incremental partitioned export", () => {
  it("after any sequence of appends (torn lines included), holds the rows of a full export", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.array(
            fc.record({
              channel: fc.constantFrom("user", "system", "sim"),
              count: fc.integer({ min: 0, max: 12 }),
              // A line cut short (invalid until finished), or complete but without its "\n".
              torn: fc.constantFrom(false, "cut", "whole"),
            }),
            { minLength: 1, maxLength: 3 },
          ),
          { minLength: 1, maxLength: 3 },
        ),
        async (rounds) => {
          const input = tempDir();
          const out = join(tempDir(), "events");
          const pending = new Map<string, string>();
          const base: ExportOptions = {
            clock: SETTLED,
            inputs: [input],
            format: "parquet",
            output: out,
            partitionBy: "channel,day",
            rowGroupSize: 7,
          };
          for (const round of rounds) {
            for (const { channel, count, torn } of round) {
              const path = join(input, `${channel}.jsonl`);
              const rest = pending.get(channel);
              if (rest !== undefined) appendFileSync(path, `${rest}\n`);
              pending.delete(channel);
              if (count > 0) appendFileSync(path, `${lines(channel, count)}\n`);
              if (torn !== false) {
                const line = lines(channel, 1);
                const at = torn === "cut" ? 50 : line.length;
                appendFileSync(path, line.slice(0, at));
                pending.set(channel, line.slice(at));
              }
            }
            const inc = await exportEvents({ ...base, incremental: true });
            expect(inc.incremental?.mode).toBeDefined();
            const full = join(tempDir(), "full");
            await exportEvents({ ...base, output: full });
            expect(await rows(out)).toEqual(await rows(full));
          }
        },
      ),
      { numRuns: 5 },
    );
  }, 120_000);

  it("adds part files for new data only; the old ones are carried over untouched", async () => {
    const input = tempDir();
    const out = join(tempDir(), "events");
    writeFileSync(join(input, "user.jsonl"), `${lines("user", 30)}\n`);
    const options: ExportOptions = {
      inputs: [input],
      format: "parquet",
      output: out,
      partitionBy: "channel",
      incremental: true,
    };
    const first = await exportEvents(options);
    expect(first.incremental).toMatchObject({ mode: "full", reason: "no previous export" });
    const before = parts(out);
    appendFileSync(join(input, "user.jsonl"), `${lines("user", 5)}\n`);
    const second = await exportEvents(options);
    expect(second.incremental?.mode).toBe("incremental");
    expect(second.events).toBe(5);
    expect(second.files).toBe(1);
    const after = parts(out);
    for (const [name, ino] of before) expect(after.get(name)).toBe(ino);
    // Named per run: the first run's file, and this run's.
    expect(runsOf(after)).toEqual([
      `channel=user/part-00000-${runsOf(before)[0]?.slice(-36)}`,
      expect.stringMatching(/^channel=user\/part-00001-[0-9a-f-]{36}$/),
    ]);
    expect(new Set(runsOf(after).map((f) => f.slice(-36))).size).toBe(2);
    const third = await exportEvents(options);
    expect(third).toMatchObject({ events: 0, files: 0 });
    expect(parts(out)).toEqual(after);
  });

  it("keeps an unfinished last line in a tail file, replaced once the line is complete", async () => {
    const input = tempDir();
    const out = join(tempDir(), "events");
    const line = lines("user", 1);
    writeFileSync(join(input, "user.jsonl"), `${lines("user", 3)}\n${line}`);
    const options: ExportOptions = {
      inputs: [input],
      format: "parquet",
      output: out,
      partitionBy: "channel",
      incremental: true,
    };
    await exportEvents(options);
    const first = runsOf(parts(out));
    expect(first.map(withoutRun)).toEqual(["channel=user/part-00000", "channel=user/tail-00000"]);
    appendFileSync(join(input, "user.jsonl"), `\n${lines("user", 1)}\n`);
    await exportEvents(options);
    const second = runsOf(parts(out));
    expect(second.map(withoutRun)).toEqual(["channel=user/part-00000", "channel=user/part-00001"]);
    // The first part file is carried over; the tail is gone, replaced by this run's part.
    expect(second[0]).toBe(first[0]);
    const count = await duckdbRows(
      `SELECT count(*)::INTEGER AS n FROM read_parquet('${out}/**/*.parquet')`,
    );
    expect(count).toEqual([{ n: 5 }]);
  });

  it("starts over, saying why, when an input shrank or the state is not ours", async () => {
    const input = tempDir();
    const out = join(tempDir(), "events");
    writeFileSync(join(input, "user.jsonl"), `${lines("user", 60)}\n`);
    const options: ExportOptions = {
      inputs: [input],
      format: "parquet",
      output: out,
      partitionBy: "day",
      incremental: true,
    };
    await exportEvents(options);
    // Cut short, its first 4 KiB kept: the same file, shorter (other first bytes would make it
    // a new file on a reused inode).
    truncateSync(join(input, "user.jsonl"), 5000);
    const kept = readFileSync(join(input, "user.jsonl"), "utf8").split("\n").length - 1;
    const shrank = await exportEvents(options);
    expect(shrank.incremental?.reason).toMatch(/user\.jsonl shrank/);
    expect((await rows(out)).length).toBe(kept);
    const [, body] = readFileSync(join(out, ".export-state.json"), "utf8").split("\n");
    // Trusted at run time on its checksum: what was written must be a valid state.
    expect(exportStateSchema.safeParse(JSON.parse(body ?? "")).success).toBe(true);
    writeFileSync(join(out, ".export-state.json"), "{}");
    expect((await exportEvents(options)).incremental?.reason).toMatch(/another version/);
    expect(
      (await exportEvents({ ...options, partitionBy: "channel" })).incremental?.reason,
    ).toMatch(/other inputs or options/);
    expect((await exportEvents({ ...options, full: true })).incremental?.reason).toBe(
      "`full` was given",
    );
  });

  it("CLI: --incremental needs --partition-by (exit 2); it reports what it read", async () => {
    const input = tempDir();
    writeFileSync(join(input, "user.jsonl"), `${lines("user", 4)}\n`);
    const out = join(tempDir(), "events");
    const single = await runCli([
      "export",
      "-i",
      input,
      "-f",
      "parquet",
      "-o",
      out,
      "--incremental",
    ]);
    expect(single.code).toBe(2);
    expect(single.stderr).toContain("--incremental export needs --partition-by");
    const args = [...partitionedExportArgs(input, out), "--incremental"];
    const first = await runCli(args);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain("incremental: full run (no previous export)");
    const again = await runCli(args);
    expect(again.stderr).toContain("(what was appended since the last run)");
    expect(again.stdout).toContain("added 0 events");
    const full = await runCli([...args, "--full"]);
    expect(full.stderr).toContain("incremental: full run (--full was given)");
    expect(full.stdout).toContain("added 4 events");
  });
});
