// One-shot runs over a directory a real Tracker rotates with retention (segments deleted while
// runs read), twelve channels: every command, in one thread and in four, exits 0 with no error
// diagnostic, and reads each channel's events once, with no gap (retention deletes the oldest
// only, so what a run reads of a channel is one run of its numbers). The host is not loaded on
// purpose (busy loops would slow every test beside this one); the suite's own load does that.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { duckdbRows } from "../helpers/duckdb.js";
import { startRotatingWriter, whileWriting } from "../helpers/rotating-writer.js";
import { runBin } from "../helpers/run-bin.js";
import { tempDir } from "../helpers/temp-dir.js";

type Event = { channel: string; payload: { i: number } };

// Each channel's numbers once; consecutive unless the run says a listed file vanished (retention
// deleted it before it was read: a segment between two it read, when reading took a while).
function expectOnceWithoutGap(events: readonly Event[], stderr: string): void {
  const vanished = /vanished_file/.test(stderr);
  const byChannel = new Map<string, number[]>();
  for (const e of events)
    byChannel.set(e.channel, [...(byChannel.get(e.channel) ?? []), e.payload.i]);
  for (const [channel, list] of byChannel) {
    list.sort((a, b) => a - b);
    expect(new Set(list).size, `${channel}: an event repeated`).toBe(list.length);
    if (vanished) continue;
    const first = list[0] ?? 0;
    const gap = list.findIndex((i, k) => i !== first + k);
    expect(gap, `${channel}: at ${gap}, ${list[gap - 1]} then ${list[gap]}`).toBe(-1);
  }
}

const errorLine = (stderr: string) => stderr.split("\n").find((l) => /\berror\b/.test(l));

// Each listed command, run again and again while a Tracker (twelve channels, 16 KiB segments,
// two kept) writes for 4 s.
async function whileRotating(dir: string, check: () => Promise<void>): Promise<void> {
  const started = await startRotatingWriter([dir, "4000", "12", "16", "2"]);
  let runs = 0;
  await whileWriting(started, async () => {
    while (started.running()) {
      await check();
      runs++;
    }
  });
  expect(runs).toBeGreaterThanOrEqual(1);
}

// Exit 0, and no error diagnostic (a `vanished_file` warning is allowed).
function expectClean(run: { code: number | null; stderr: string }): void {
  expect(run.code, run.stderr).toBe(0);
  expect(errorLine(run.stderr), run.stderr).toBeUndefined();
}

describe("one-shot runs over a rotating directory with retention", () => {
  it.each(["0", "4"])(
    "--workers %s: export, validate --strict and aggregate exit 0, no event missing or repeated",
    async (workers) => {
      const dir = tempDir();
      const out = join(tempDir(), "events.jsonl");
      const report = join(tempDir(), "aggregates.json");
      const w = ["--workers", workers];
      await whileRotating(dir, async () => {
        const exported = await runBin(["export", "-i", dir, "-f", "jsonl", "-o", out, ...w]);
        expectClean(exported);
        const events = readFileSync(out, "utf8")
          .split("\n")
          .filter((line) => line !== "")
          .map((line) => JSON.parse(line) as Event);
        expectOnceWithoutGap(events, exported.stderr);
        expectClean(await runBin(["validate", "--strict", "-i", dir, ...w]));
        expectClean(await runBin(["aggregate", "-i", dir, "-o", report, ...w]));
      });
    },
    60_000,
  );

  it("Parquet export with --workers 4: exit 0, no event missing or repeated", async () => {
    const dir = tempDir();
    const out = join(tempDir(), "events.parquet");
    await whileRotating(dir, async () => {
      const run = await runBin(["export", "-i", dir, "-f", "parquet", "-o", out, "--workers", "4"]);
      expectClean(run);
      const rows = await duckdbRows(
        `SELECT channel, json_extract(payload, '$.i')::INTEGER AS i FROM read_parquet('${out}')`,
      );
      const events = rows.map((r) => ({ channel: String(r.channel), payload: { i: Number(r.i) } }));
      expectOnceWithoutGap(events, run.stderr);
    });
  }, 60_000);
});
