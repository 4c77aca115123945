// Incremental runs over files logrotate rotates. Its `copytruncate`, for applications that cannot
// reopen their file: the live file is copied to `.1`, then cut to nothing in place, where the
// application goes on writing. The copy is the file the last run read (a new inode), and the
// live file holds only new lines (its old inode): an incremental run reads the copy on from
// where it stopped, the live file from 0.
import { appendFileSync, cpSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runEtl } from "../../src/exporter/index.js";
import { duckdbRows } from "../helpers/duckdb.js";
import { eventLine, NOW } from "../helpers/event-lines.js";
import { logrotate } from "../helpers/logrotate.js";
import { runBin } from "../helpers/run-bin.js";
import { expectSameAsFull } from "../helpers/same-as-full.js";
import { tempDir } from "../helpers/temp-dir.js";

let serial = 0;

function lines(n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = serial++;
    const timestamp = new Date(Date.UTC(2025, 1, 1) + k * 60_000);
    out.push(eventLine({ channel: "user", event: `e${k % 5}`, timestamp, payload: { k } }));
  }
  return `${out.join("\n")}\n`;
}

function setup() {
  const input = tempDir();
  const out = tempDir();
  writeFileSync(join(input, "user.jsonl"), lines(50));
  const run = () => runEtl({ inputs: [input], outputDir: out, incremental: true, now: NOW });
  return { input, out, run };
}

describe("incremental runs follow logrotate's copytruncate", () => {
  it("reads the copy on from where the last run stopped, and the cut live file from 0", async () => {
    const c = setup();
    await c.run();
    // Written after that run, before the rotation: in the copy only.
    const late = lines(5);
    appendFileSync(join(c.input, "user.jsonl"), late);
    logrotate(c.input, "copytruncate", 4, lines(20));
    const result = await c.run();
    expect(result.incremental).toMatchObject({ mode: "incremental" });
    const live = statSync(join(c.input, "user.jsonl")).size;
    expect(result.incremental?.bytesRead).toBe(late.length + live);
    expect(result.report.totals.valid).toBe(75);
    await expectSameAsFull(result, c.input);
  });

  it("a partitioned export, run by the CLI, says it read what was appended, and holds every row once", async () => {
    const input = tempDir();
    const output = join(tempDir(), "parts");
    writeFileSync(join(input, "user.jsonl"), lines(40));
    const args = ["export", "-i", input, "-f", "parquet", "--partition-by", "day", "-o", output];
    expect((await runBin([...args, "--incremental"])).code).toBe(0);
    logrotate(input, "copytruncate", 4, lines(7));
    const second = await runBin([...args, "--incremental"]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/incremental: read .* \(what was appended since the last run\)/);
    const [row] = await duckdbRows(
      `SELECT count(*)::INTEGER AS n, count(DISTINCT payload::VARCHAR)::INTEGER AS k FROM read_parquet('${output}/**/*.parquet')`,
    );
    expect(row).toEqual({ n: 47, k: 47 });
  }, 30_000);
});

// The usual configuration: `compress`, `delaycompress`, `rotate 2`. Each rotation deletes the
// oldest `.2.gz`, then gzips the new `.2` into a file of that very name, to which a file system
// such as ext4 gives the inode just freed: that is a new file, not the one read changed in place.
describe.each(["create", "copytruncate"] as const)("logrotate (%s) with retention", (how) => {
  it("no rotation costs a full run, and the deleted files' events stay", async () => {
    const c = setup();
    // The same rotations where nothing is deleted: what a full run would read had it all stayed.
    const history = tempDir();
    await c.run();
    cpSync(c.input, history, { recursive: true });
    let total = 50;
    for (let round = 1; round <= 6; round++) {
      const fresh = lines(10 + round);
      total += 10 + round;
      logrotate(c.input, how, 2, fresh);
      logrotate(history, how, 99, fresh);
      const result = await c.run();
      expect(result.incremental?.reason, `round ${round}`).toBeUndefined();
      expect(result.report.totals.valid).toBe(total);
      await expectSameAsFull(result, c.input, history);
    }
    // Rounds 3 to 6 each deleted the oldest file: 50, 11, 12 and 13 events, still exported.
    expect((await c.run()).incremental?.archived).toHaveLength(4);
  });
});
