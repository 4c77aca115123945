// One-shot runs over a directory a real Tracker rotates with retention (segments deleted while
// runs read), twelve channels: every command, in one thread and in four,
// exits 0 with no error diagnostic, and reads each channel's events once, with no gap (retention
// deletes the oldest only, so what a run reads of a channel is one run of its numbers).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { duckdbRows } from "../helpers/duckdb.js";
import { runBin } from "../helpers/run-bin.js";
import { startTs, waitForExit, waitForLine } from "../helpers/spawn-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const WRITER = "test/fixtures/processes/rotate-retaining.ts";

type Event = { channel: string; payload: { i: number } };

// The host is not loaded on purpose here (busy loops would slow every test running beside this
// one): the suite's own load does that, and the helper session that wrote this test ran it
// beside four busy loops.

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

describe("one-shot runs over a rotating directory with retention", () => {
  it.each(["0", "4"])(
    "--workers %s: export, validate --strict and aggregate exit 0, no event missing or repeated",
    async (workers) => {
      const dir = tempDir();
      const out = join(tempDir(), "events.jsonl");
      const report = join(tempDir(), "aggregates.json");
      const writer = startTs(WRITER, [dir, "4000", "12", "2"]);
      await waitForLine(writer, /ready/);
      let running = true;
      const exited = waitForExit(writer).then(() => {
        running = false;
      });
      let runs = 0;
      try {
        while (running) {
          const w = ["--workers", workers];
          const exported = await runBin(["export", "-i", dir, "-f", "jsonl", "-o", out, ...w]);
          expect(exported.code, exported.stderr).toBe(0);
          expect(errorLine(exported.stderr), exported.stderr).toBeUndefined();
          const events = readFileSync(out, "utf8")
            .split("\n")
            .filter((line) => line !== "")
            .map((line) => JSON.parse(line) as Event);
          expectOnceWithoutGap(events, exported.stderr);
          const strict = await runBin(["validate", "--strict", "-i", dir, ...w]);
          expect(strict.code, strict.stderr).toBe(0);
          expect(errorLine(strict.stderr), strict.stderr).toBeUndefined();
          const aggregate = await runBin(["aggregate", "-i", dir, "-o", report, ...w]);
          expect(aggregate.code, aggregate.stderr).toBe(0);
          expect(errorLine(aggregate.stderr), aggregate.stderr).toBeUndefined();
          runs++;
        }
      } finally {
        writer.kill("SIGKILL");
        await exited;
      }
      expect(runs).toBeGreaterThanOrEqual(1);
    },
    60_000,
  );

  it("Parquet export with --workers 4: exit 0, no event missing or repeated", async () => {
    const dir = tempDir();
    const out = join(tempDir(), "events.parquet");
    const writer = startTs(WRITER, [dir, "4000", "12", "2"]);
    await waitForLine(writer, /ready/);
    let running = true;
    const exited = waitForExit(writer).then(() => {
      running = false;
    });
    let runs = 0;
    try {
      while (running) {
        const run = await runBin([
          "export",
          "-i",
          dir,
          "-f",
          "parquet",
          "-o",
          out,
          "--workers",
          "4",
        ]);
        expect(run.code, run.stderr).toBe(0);
        expect(errorLine(run.stderr), run.stderr).toBeUndefined();
        const rows = await duckdbRows(
          `SELECT channel, json_extract(payload, '$.i')::INTEGER AS i FROM read_parquet('${out}')`,
        );
        expectOnceWithoutGap(
          rows.map((r) => ({ channel: String(r.channel), payload: { i: Number(r.i) } })),
          run.stderr,
        );
        runs++;
      }
    } finally {
      writer.kill("SIGKILL");
      await exited;
    }
    expect(runs).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
