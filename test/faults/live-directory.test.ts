// A one-shot run over a directory a Tracker rotates reads the files as they were when it listed
// them. The run is stopped (SIGSTOP) once it has listed its inputs and before it plans them, or
// once it has planned them and before it reads any; meanwhile the live files are rotated (one
// renamed, one renamed and compressed), a segment compressed and the oldest deleted, then it goes
// on. Its output must hold every event of the listing, each once, less the deleted file's, which
// is a `vanished_file` warning. Before, a file compressed or deleted meanwhile failed the run
// (`unreadable_file`), and the live file renamed meanwhile was read under its old name: the new
// live file's events instead of its own, exit 0.
import { spawn } from "node:child_process";
import { appendFileSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { duckdbRows } from "../helpers/duckdb.js";
import { eventLine } from "../helpers/event-lines.js";
import { BIN } from "../helpers/run-bin.js";
import { type ChildResult, finished } from "../helpers/run-child.js";
import { untilStopped } from "../helpers/stopped-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const hook = fileURLToPath(new URL("../helpers/stop-in-phase.cjs", import.meta.url));

/** Runs the CLI with `args`, stopped in `phase` while `meanwhile` changes its inputs. */
async function runStopped(
  phase: "plan" | "read" | "pool" | "none",
  args: readonly string[],
  meanwhile: () => void,
): Promise<ChildResult> {
  const child = spawn(process.execPath, ["--require", hook, BIN, ...args], {
    env: { ...process.env, STOP_IN: phase },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const done = finished(child);
  if (phase === "none") return done;
  await untilStopped(child.pid as number);
  meanwhile();
  child.kill("SIGCONT");
  return done;
}

const SEGMENT = (channel: string, minute: number) =>
  `${channel}.20250101T00${String(minute).padStart(2, "0")}00000Z.jsonl`;

/** A Tracker's directory: two channels, each with segments and a live file; events numbered. */
function trackerDirectory() {
  const dir = tempDir();
  let seq = 0;
  const lines = (n: number, channel: string) => {
    let text = "";
    for (let i = 0; i < n; i++) text += `${eventLine({ channel, payload: { seq: seq++ } })}\n`;
    return text;
  };
  const listed: number[] = [];
  const put = (name: string, n: number, channel: string, gzip = false) => {
    const first = seq;
    const text = lines(n, channel);
    writeFileSync(join(dir, name), gzip ? gzipSync(text) : text);
    return Array.from({ length: n }, (_, i) => first + i);
  };
  const deleted = `${SEGMENT("user", 0)}.gz`;
  put(deleted, 3, "user", true);
  listed.push(...put(SEGMENT("user", 1), 4, "user"));
  listed.push(...put(SEGMENT("user", 2), 5, "user"));
  listed.push(...put("user.jsonl", 6, "user"));
  listed.push(...put(SEGMENT("app", 1), 3, "app"));
  listed.push(...put("app.jsonl", 4, "app"));
  /** What the Tracker does meanwhile: rotate, compress, delete, and write on. */
  const rotate = () => {
    rmSync(join(dir, deleted));
    const compress = (name: string) => {
      writeFileSync(join(dir, `${name}.gz`), gzipSync(readFileSync(join(dir, name))));
      rmSync(join(dir, name));
    };
    compress(SEGMENT("user", 1));
    renameSync(join(dir, "user.jsonl"), join(dir, SEGMENT("user", 3)));
    writeFileSync(join(dir, "user.jsonl"), lines(5, "user"));
    renameSync(join(dir, "app.jsonl"), join(dir, SEGMENT("app", 2)));
    compress(SEGMENT("app", 2));
    writeFileSync(join(dir, "app.jsonl"), lines(2, "app"));
  };
  /** The Tracker writes on to its live files. */
  const append = () => {
    appendFileSync(join(dir, "user.jsonl"), lines(2, "user"));
    appendFileSync(join(dir, "app.jsonl"), lines(2, "app"));
  };
  return { dir, listed, deleted: join(dir, deleted), rotate, append };
}

const seqs = (jsonl: string) =>
  jsonl
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => (JSON.parse(line) as { payload: { seq: number } }).payload.seq)
    .sort((a, b) => a - b);

describe("a one-shot run while the Tracker rotates its directory", () => {
  for (const [phase, label, extra] of [
    ["plan", "between listing and planning", []],
    ["read", "between planning and reading", []],
    ["pool", "between planning and reading, on worker threads", ["--workers", "2"]],
  ] as const) {
    it(`reads the files as listed, each event once, when stopped ${label}`, async () => {
      const world = trackerDirectory();
      const out = join(tempDir(), "events.jsonl");
      const args = ["export", "-i", world.dir, "-f", "jsonl", "-o", out, ...extra];
      const run = await runStopped(phase, args, world.rotate);
      expect(run.stderr).not.toMatch(/error/);
      expect(run.code).toBe(0);
      expect(seqs(readFileSync(out, "utf8"))).toEqual(world.listed);
      expect(run.stderr).toContain(
        `warning ${world.deleted}: vanished_file: deleted after the run listed it; its events are not in this run`,
      );
    }, 30_000);
  }

  // The silent case: nothing fails, and the run used to export the new live file's events in
  // place of the listed one's (exit 0).
  it("the live file renamed by rotation before it is read: its own events, not the new live file's", async () => {
    for (const phase of ["plan", "read"] as const) {
      const dir = tempDir();
      const line = (seq: number) => `${eventLine({ payload: { seq } })}\n`;
      writeFileSync(join(dir, "user.jsonl"), line(0) + line(1));
      const out = join(tempDir(), "events.jsonl");
      const run = await runStopped(phase, ["export", "-i", dir, "-f", "jsonl", "-o", out], () => {
        renameSync(join(dir, "user.jsonl"), join(dir, SEGMENT("user", 1)));
        writeFileSync(join(dir, "user.jsonl"), line(2) + line(3) + line(4));
      });
      expect(run.code).toBe(0);
      expect(run.stderr).not.toMatch(/warning |error /);
      expect(seqs(readFileSync(out, "utf8"))).toEqual([0, 1]);
    }
  }, 30_000);

  it("validate: a file deleted meanwhile is a warning (exit 0), also under --strict", async () => {
    const world = trackerDirectory();
    const run = await runStopped("read", ["validate", "-i", world.dir], world.rotate);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("vanished_file: 1");
    const again = trackerDirectory();
    const out = join(tempDir(), "events.jsonl");
    const strict = await runStopped(
      "plan",
      ["export", "-i", again.dir, "-f", "jsonl", "-o", out, "--strict"],
      again.rotate,
    );
    expect(strict.code).toBe(0);
    expect(seqs(readFileSync(out, "utf8"))).toEqual(again.listed);
  }, 30_000);

  it("a file named by the user and deleted meanwhile stays an unreadable_file error", async () => {
    const world = trackerDirectory();
    const named = join(world.dir, SEGMENT("user", 2));
    for (const phase of ["plan", "read"] as const) {
      const run = await runStopped(phase, ["validate", "-i", named], () => rmSync(named));
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/unreadable_file/);
      expect(run.stderr).not.toMatch(/vanished_file/);
      writeFileSync(named, `${eventLine()}\n`);
    }
  }, 30_000);

  // A file of several segments (4 MiB each) was named once a segment.
  it("a file of several segments deleted once planned is named once, listed or named", async () => {
    const dir = tempDir();
    const big = join(dir, SEGMENT("user", 1));
    const line = `${eventLine({ payload: { pad: "x".repeat(200) } })}\n`;
    for (const [input, code] of [
      [dir, "vanished_file"],
      [big, "unreadable_file"],
    ] as const) {
      writeFileSync(big, line.repeat(50_000));
      writeFileSync(join(dir, "user.jsonl"), line);
      expect(statSync(big).size).toBeGreaterThan(8 * 1024 * 1024);
      const out = join(tempDir(), "events.jsonl");
      const args = ["export", "-i", input, "-f", "jsonl", "-o", out, "--workers", "0"];
      const run = await runStopped("read", args, () => rmSync(big));
      expect(run.stderr.match(new RegExp(big, "g")), run.stderr).toHaveLength(1);
      expect(run.stderr).toContain(`${code}: 1`);
    }
  }, 30_000);

  // Incremental runs follow rotated files by their state between runs; stopped the same way, a
  // run still leaves every event in the events file once the next run has read what is new.
  for (const phase of ["plan", "read"] as const) {
    it(`etl --incremental stopped in ${phase} while the directory rotates: every event once`, async () => {
      const world = trackerDirectory();
      const output = tempDir();
      const etl = ["etl", "--incremental", "-i", world.dir, "--output-dir", output];
      const first = await runStopped("none", etl, () => {});
      expect(first.code, first.stderr).toBe(0);
      world.append();
      const run = await runStopped(phase, etl, world.rotate);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr, run.stderr).not.toMatch(/error /);
      const last = await runStopped("none", etl, () => {});
      expect(last.code, last.stderr).toBe(0);
      const events = JSON.parse(readFileSync(join(output, "telemetry_events.json"), "utf8")) as {
        payload: { seq: number };
      }[];
      const all = events.map((e) => e.payload.seq).sort((a, b) => a - b);
      // Every event ever written (the deleted file's were read by the first run), each once.
      expect(all).toEqual(Array.from({ length: all.length }, (_, k) => k));
      expect(all.length).toBe(3 + 4 + 5 + 6 + 3 + 4 + 2 + 2 + 5 + 2);
    }, 30_000);

    it(`export --incremental --partition-by stopped in ${phase} while the directory rotates: every event once`, async () => {
      const world = trackerDirectory();
      const output = join(tempDir(), "parts");
      const exportArgs = [
        ...["export", "--incremental", "-i", world.dir, "-f", "parquet", "-o", output],
        ...["--partition-by", "channel"],
      ];
      const first = await runStopped("none", exportArgs, () => {});
      expect(first.code, first.stderr).toBe(0);
      world.append();
      const run = await runStopped(phase, exportArgs, world.rotate);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr, run.stderr).not.toMatch(/error /);
      const last = await runStopped("none", exportArgs, () => {});
      expect(last.code, last.stderr).toBe(0);
      const rows = await duckdbRows(
        `SELECT CAST(json_extract(payload, '$.seq') AS INTEGER) AS seq FROM read_parquet('${output}/**/*.parquet') ORDER BY seq`,
      );
      const all = rows.map((r) => Number(r.seq));
      expect(all).toEqual(Array.from({ length: all.length }, (_, k) => k));
      expect(all.length).toBe(3 + 4 + 5 + 6 + 3 + 4 + 2 + 2 + 5 + 2);
    }, 30_000);
  }
});
