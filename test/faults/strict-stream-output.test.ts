// docs/cli.md, --strict: "write no output". A stream (stdout, a FIFO) cannot be replaced
// atomically, so under --strict an export to one is held in a temp file (TMPDIR) until the run
// ends: a run stopped by an invalid line writes nothing to it, however much it had read, and
// leaves no temp file. Without --strict a stream is written as the run reads (nothing held).
import { execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { exportEvents, isTelemetryError } from "../../src/exporter/index.js";
import { BIN } from "../helpers/run-bin.js";
import { finished } from "../helpers/run-child.js";
import { smallDisk, unmountSmallDisks } from "../helpers/small-disk.js";
import { tempDir } from "../helpers/temp-dir.js";

const line = (i: number) =>
  `{"schema_version":"telemetry_event_v1","channel":"app","event":"e","timestamp":"2025-03-01T10:00:00.000Z","payload":{"i":${i},"text":"${"x".repeat(80)}"}}\n`;

// About 8 MB of valid events (by default): far more than any write buffer holds back.
function input(lastLineBad: boolean, events = 60_000): string {
  const dir = tempDir();
  const lines = Array.from({ length: events }, (_, i) => line(i));
  writeFileSync(join(dir, "app.jsonl"), `${lines.join("")}${lastLineBad ? "{bad\n" : ""}`);
  return dir;
}

function exporter(args: readonly string[], tmp: string) {
  return finished(
    spawn(process.execPath, [BIN, "export", ...args], {
      env: { ...process.env, TMPDIR: tmp },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
}

describe("--strict with a stream output", () => {
  it("-o -: an invalid last line after 8 MB of events writes nothing to stdout (exit 3)", async () => {
    const tmp = tempDir();
    const run = await exporter(["-i", input(true), "-f", "jsonl", "-o", "-", "--strict"], tmp);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^error: .*app\.jsonl:60001: invalid_json: /);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("-o -: a valid run writes what it writes without --strict, byte for byte", async () => {
    const dir = input(false);
    const tmp = tempDir();
    const held = await exporter(["-i", dir, "-f", "json", "-o", "-", "--strict", "-q"], tmp);
    const plain = await exporter(["-i", dir, "-f", "json", "-o", "-", "-q"], tmp);
    expect(held.code).toBe(0);
    expect(held.stdout.length).toBeGreaterThan(8_000_000);
    expect(held.stdout).toBe(plain.stdout);
    expect(JSON.parse(held.stdout)).toHaveLength(60_000);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("-o FIFO: its reader gets nothing from a run --strict stops", async () => {
    const dir = tempDir();
    const fifo = join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    const got = join(dir, "got");
    const reader = spawn("sh", ["-c", `cat "${fifo}" > "${got}"`], { stdio: "ignore" });
    // Listened for at once: the reader may be gone before the exporter's own end is seen.
    const readerDone = new Promise((resolve) => reader.on("close", resolve));
    const tmp = tempDir();
    const run = await exporter(["-i", input(true), "-f", "jsonl", "-o", fifo, "--strict"], tmp);
    expect(run.code).toBe(3);
    await readerDone;
    expect(readFileSync(got, "utf8")).toBe("");
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("SIGINT while the output is held: exit 130, nothing on stdout, the held file removed", async () => {
    const tmp = tempDir();
    const child = spawn(
      process.execPath,
      [BIN, "export", "-i", input(true, 300_000), "-f", "jsonl", "-o", "-", "--strict", "-q"],
      { env: { ...process.env, TMPDIR: tmp }, stdio: ["ignore", "pipe", "pipe"] },
    );
    const ended = finished(child);
    while (readdirSync(tmp).length === 0) await new Promise((r) => setTimeout(r, 5));
    child.kill("SIGINT");
    const run = await ended;
    expect(run.code).toBe(130);
    expect(run.stdout).toBe("");
    expect(readdirSync(tmp)).toEqual([]);
  }, 30_000);

  it("removes what a killed run held in TMPDIR once stale (dead, unwritten for an hour)", async () => {
    const tmp = tempDir();
    // A pid no process has (above Linux's pid_max), and one of a live process (this one).
    const stale = join(tmp, ".telemetry-export.4194999.0a1b2c3d.tmp");
    const live = join(tmp, `.telemetry-export.${process.pid}.0a1b2c3d.tmp`);
    const recent = join(tmp, ".telemetry-export.4194999.11111111.tmp");
    for (const path of [stale, live, recent]) writeFileSync(path, "held");
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    utimesSync(stale, twoHoursAgo, twoHoursAgo);
    utimesSync(live, twoHoursAgo, twoHoursAgo);
    const run = await exporter(["-i", input(false, 10), "-f", "jsonl", "-o", "-", "--strict"], tmp);
    expect(run.code).toBe(0);
    expect(readdirSync(tmp).sort()).toEqual([live, recent].map((p) => basename(p)).sort());
  });

  it("a TMPDIR that fills up: the error names it and why it holds the output; stdout empty", async (context) => {
    const tmp = smallDisk("64k");
    if (tmp === undefined) return context.skip();
    try {
      const run = await exporter(["-i", input(false), "-f", "jsonl", "-o", "-", "--strict"], tmp);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toBe(
        `error: cannot hold the output in ${tmp} (ENOSPC): a strict run holds a stream output there until it ends\n`,
      );
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      unmountSmallDisks();
    }
  });

  it("without --strict, -o - is a stream: the valid events, the invalid line skipped", async () => {
    const run = await exporter(["-i", input(true), "-f", "jsonl", "-o", "-", "-q"], tempDir());
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")).toHaveLength(60_001);
  });

  it("the API: a stream gets nothing from a strict run that stops; tempDir holds nothing after", async () => {
    const chunks: Buffer[] = [];
    const output = new Writable({
      write(chunk, _encoding, done) {
        chunks.push(Buffer.from(chunk));
        done();
      },
    });
    const tmp = tempDir();
    const failed = await exportEvents({
      inputs: [input(true)],
      format: "jsonl",
      output,
      strict: true,
      tempDir: tmp,
    }).catch((error: unknown) => error);
    expect(isTelemetryError(failed, "invalid_records")).toBe(true);
    expect(chunks).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("the API: a tempDir that cannot hold it fails before anything is read, naming tempDir", async () => {
    const failed = await exportEvents({
      inputs: [input(false)],
      format: "jsonl",
      output: new Writable({ write: (_c, _e, done) => done() }),
      strict: true,
      tempDir: join(tempDir(), "no-such-dir"),
    }).catch((error: unknown) => error);
    expect(isTelemetryError(failed, "io_error")).toBe(true);
    expect((failed as { path?: unknown }).path).toEqual(["tempDir"]);
  });
});
