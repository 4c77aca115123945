import {
  appendFileSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { exportEvents, type ReadClock, runEtl, validateEvents } from "../../src/exporter/index.js";
import { runCli } from "../helpers/cli.js";
import { runBin } from "../helpers/run-bin.js";
import { startTs, waitForExit, waitForLine } from "../helpers/spawn-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const WRITER = "test/fixtures/processes/append-steadily.ts";

function line(k: number): string {
  return `${JSON.stringify({
    schema_version: "telemetry_event_v1",
    channel: "live",
    event: "tick",
    timestamp: "2026-01-01T00:00:00.000Z",
    payload: { k, pad: "q".repeat(300) },
  })}\n`;
}

// A file of `n` complete lines and the first half of line n+1, as a reader sees a write that
// has not fully landed.
function halfWritten(n: number): { path: string; rest: string } {
  const dir = tempDir();
  const path = join(dir, "live.jsonl");
  const next = line(n);
  let text = "";
  for (let k = 0; k < n; k++) text += line(k);
  writeFileSync(path, text + next.slice(0, 150));
  return { path, rest: next.slice(150) };
}

// A clock that says the file was just written; its sleep runs `during` (the writer's progress).
function freshClock(path: string, during: () => void = () => {}) {
  const slept: number[] = [];
  const clock: ReadClock = {
    now: () => statSync(path).mtimeMs,
    sleep: async (ms) => {
      slept.push(ms);
      during();
    },
  };
  return { clock, slept };
}

describe("files a Tracker is still writing", () => {
  it("a half-landed last line of a file that grows is pending: a warning, left out, not an error", async () => {
    const { path, rest } = halfWritten(5);
    const { clock, slept } = freshClock(path, () => appendFileSync(path, rest));
    const { scan, ok } = await validateEvents({ inputs: [path], strict: true, clock });
    expect(ok).toBe(true);
    expect(slept).toEqual([250]);
    expect(scan.totals).toMatchObject({ lines: 5, valid: 5, invalid: 0 });
    expect(scan.diagnostics.byCode).toEqual({ pending_line: 1 });
    expect(scan.diagnostics.errors).toBe(0);
  });

  it("--strict export of a growing file leaves the pending line out", async () => {
    const { path, rest } = halfWritten(4);
    const out = join(tempDir(), "e.jsonl");
    const { clock } = freshClock(path, () => appendFileSync(path, rest));
    const result = await exportEvents({
      inputs: [path],
      output: out,
      format: "jsonl",
      strict: true,
      clock,
    });
    expect(result.events).toBe(4);
    const ks = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).payload.k);
    expect(ks).toEqual([0, 1, 2, 3]);
  });

  it("a torn last line of a file that stopped changing is still truncated_line (a crash)", async () => {
    const { path } = halfWritten(3);
    // Changed long ago: no wait, no growth.
    const old: ReadClock = { now: () => statSync(path).mtimeMs + 60_000, sleep: async () => {} };
    const stale = await validateEvents({ inputs: [path], clock: old });
    expect(stale.ok).toBe(false);
    expect(stale.scan.diagnostics.byCode).toEqual({ truncated_line: 1 });
    // Changed just now, but it does not grow within the settle time: torn as well.
    const { clock, slept } = freshClock(path);
    const fresh = await validateEvents({ inputs: [path], clock });
    expect(slept).toEqual([250]);
    expect(fresh.scan.diagnostics.byCode).toEqual({ truncated_line: 1 });
    const cli = await runCli(["validate", "-i", path, "-q"]);
    expect(cli.code).toBe(3);
  });

  it("a torn last line changed after now (the clock stepped back) waits the settle time, no longer", async () => {
    const { path } = halfWritten(3);
    // Last changed an hour ahead of the clock: written before the clock was set back an hour.
    const ahead = new Date(Date.now() + 3_600_000);
    utimesSync(path, ahead, ahead);
    const slept: number[] = [];
    const behind: ReadClock = {
      now: () => statSync(path).mtimeMs - 3_600_000,
      sleep: async (ms) => {
        slept.push(ms);
      },
    };
    const scan = await validateEvents({ inputs: [path], clock: behind });
    expect(slept).toEqual([250]);
    expect(scan.scan.diagnostics.byCode).toEqual({ truncated_line: 1 });
    // The real clock, in a real process: it once slept until the file's time came (an hour).
    const started = Date.now();
    const cli = await runBin(["validate", "-i", path, "-q"]);
    expect(cli.code, cli.stderr).toBe(3);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);

  it("incremental: a pending line is read by the next run, once", async () => {
    const { path, rest } = halfWritten(6);
    const out = tempDir();
    const { clock } = freshClock(path, () => appendFileSync(path, rest));
    const first = await runEtl({ inputs: [path], outputDir: out, incremental: true, clock });
    expect(first.scan.totals.valid).toBe(6);
    expect(first.report.anomalies.by_code).toEqual({ pending_line: 1 });
    const second = await runEtl({ inputs: [path], outputDir: out, incremental: true });
    expect(second.incremental).toMatchObject({ mode: "incremental" });
    expect(second.scan.totals.valid).toBe(7);
    const events = JSON.parse(readFileSync(first.eventsPath, "utf8")) as {
      payload: { k: number };
    }[];
    expect(events.map((e) => e.payload.k)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it("validate and --strict export never fail while a real Tracker writes 64 KiB flushes", async () => {
    const dir = tempDir();
    const out = join(tempDir(), "e.jsonl");
    const writer = startTs(WRITER, [dir, "2500", "70", "3"]);
    await waitForLine(writer, /ready/);
    // Files being written are the point here: a directory with none yet is nothing to validate.
    while (!readdirSync(dir).some((name) => name.endsWith(".jsonl"))) await sleep(5);
    let running = true;
    const done = waitForExit(writer).then(() => {
      running = false;
    });
    let runs = 0;
    while (running) {
      const validate = await runCli(["validate", "-i", dir, "-q"]);
      expect(validate.code, validate.stderr).toBe(0);
      const strict = await runCli([
        "export",
        "-i",
        dir,
        "--strict",
        "-f",
        "jsonl",
        "-o",
        out,
        "-q",
      ]);
      expect(strict.code, strict.stderr).toBe(0);
      const seqs = readFileSync(out, "utf8")
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l).payload.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      runs += 2;
    }
    await done;
    expect(runs).toBeGreaterThanOrEqual(4);
  }, 60_000);
});
