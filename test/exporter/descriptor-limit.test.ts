// `--workers 32` with 1,000 input files under `ulimit -n 64`, in real processes: the reader
// threads alone once took more descriptors than that (a thread failed to start with EMFILE, and
// the run failed). Every command must complete with every event.
import { spawn } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { duckdbRows } from "../helpers/duckdb.js";
import { eventLine } from "../helpers/event-lines.js";
import { writeNumberedInput } from "../helpers/numbered-input.js";
import { BIN } from "../helpers/run-bin.js";
import { type ChildResult, finished } from "../helpers/run-child.js";
import { ROOT } from "../setup/compiled-sources.js";

const FILES = 1000;
const PER_FILE = 5;
const EVENTS = FILES * PER_FILE;
// Each run starts a real process and reads 1,000 files: seconds, more on a busy host.
const TIMEOUT_MS = 60_000;

let root = "";
let input = "";
let out = "";

// One input for every test (tempDir's are removed after each test).
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "telemetry-test-"));
  input = join(root, "in");
  out = join(root, "out");
  mkdirSync(out);
  writeNumberedInput(input, FILES, PER_FILE, 4);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The built exporter as a real process under `ulimit -n 64`, with 32 reader threads asked for. */
function underLowLimit(args: readonly string[]): Promise<ChildResult> {
  const command = `ulimit -n 64 && exec "$0" "$@"`;
  const given = args.includes("--input") ? args : [...args, "--input", input];
  const argv = [process.execPath, BIN, ...given, "--workers", "32"];
  return finished(
    spawn("bash", ["-c", command, ...argv], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] }),
  );
}

function expectCompleted(result: ChildResult): void {
  expect(result.stderr).not.toMatch(/EMFILE|ENFILE|too many open files/i);
  expect(result.code, result.stderr).toBe(0);
}

/** `count` events, each once (by the `f` and `i` of its payload). */
function expectEveryEventOnce(payloads: readonly { f: number; i: number }[], count: number): void {
  expect(payloads).toHaveLength(count);
  expect(new Set(payloads.map(({ f, i }) => f * (PER_FILE + 1) + i)).size).toBe(count);
}

function eventsIn(path: string): { f: number; i: number }[] {
  return (JSON.parse(readFileSync(path, "utf8")) as { payload: { f: number; i: number } }[]).map(
    (e) => e.payload,
  );
}

describe("--workers 32 with 1,000 files under ulimit -n 64", () => {
  it(
    "validate reads every record",
    async () => {
      const result = await underLowLimit(["validate"]);
      expectCompleted(result);
      expect(result.stdout + result.stderr).toContain(`all ${EVENTS} records are valid`);
    },
    TIMEOUT_MS,
  );

  it(
    "aggregate counts every event of every file",
    async () => {
      const output = join(out, "aggregates.json");
      expectCompleted(await underLowLimit(["aggregate", "--output", output]));
      const report = JSON.parse(readFileSync(output, "utf8"));
      expect(report.totals).toMatchObject({ files: FILES, valid: EVENTS, invalid: 0, warnings: 0 });
    },
    TIMEOUT_MS,
  );

  it(
    "export --format json writes every event once",
    async () => {
      const output = join(out, "events.json");
      expectCompleted(await underLowLimit(["export", "--format", "json", "--output", output]));
      expectEveryEventOnce(eventsIn(output), EVENTS);
    },
    TIMEOUT_MS,
  );

  it(
    "export --format parquet writes every event once",
    async () => {
      const output = join(out, "events.parquet");
      expectCompleted(await underLowLimit(["export", "--format", "parquet", "--output", output]));
      const rows = await duckdbRows(
        `SELECT count(*)::INTEGER AS n, count(DISTINCT payload)::INTEGER AS distinct_payloads FROM read_parquet('${output}')`,
      );
      expect(rows).toEqual([{ n: EVENTS, distinct_payloads: EVENTS }]);
    },
    TIMEOUT_MS,
  );

  it(
    "etl --incremental writes every event once, and then what was appended to every file",
    async () => {
      const own = join(out, "etl-in");
      cpSync(input, own, { recursive: true });
      const dir = join(out, "etl");
      const args = ["etl", "--incremental", "--output-dir", dir];
      expectCompleted(await underLowLimit([...args, "--input", own]));
      expectEveryEventOnce(eventsIn(join(dir, "telemetry_events.json")), EVENTS);
      for (let f = 0; f < FILES; f++) {
        const line = eventLine({ event: "late", payload: { f, i: PER_FILE } });
        appendFileSync(join(own, `f${String(f).padStart(4, "0")}.jsonl`), `${line}\n`);
      }
      const again = await underLowLimit([...args, "--input", own]);
      expectCompleted(again);
      expect(again.stderr).toMatch(/incremental: read [\d.]+ KB of/);
      expectEveryEventOnce(eventsIn(join(dir, "telemetry_events.json")), EVENTS + FILES);
    },
    TIMEOUT_MS,
  );
});
