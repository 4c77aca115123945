// A FIFO where the exporter's lock reads a holder's file (planted, or left by a tool that
// mkfifo'd the wrong name): opening it for reading would wait for a writer forever, and the
// thread pool's thread doing so keeps even a SIGTERMed process from exiting. The run must end:
// a FIFO beside the lock, named as a lock temp, is not ours and is left alone; one in the lock
// directory makes the lock unreadable, refused once --lock-wait ends. The state file, read
// holding the lock, is opened the same way, and replaced by the state.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { eventLine } from "../helpers/event-lines.js";
import { BIN } from "../helpers/run-bin.js";
import { finished } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";
import { ROOT } from "../setup/compiled-sources.js";

const TOKEN = "0123456789abcdef";

// The etl run on `out` (`-q` unless not `quiet`), SIGKILLed (by its own pid) if it has not ended
// after 15 s; SIGTERMed after `termMs` when given.
async function etlWithin15s(input: string, out: string, termMs?: number, quiet = true) {
  const args = ["etl", "--incremental", "-i", input, "--output-dir", out, "--lock-wait", "1"];
  const child = spawn(process.execPath, [BIN, ...args, ...(quiet ? ["-q"] : [])], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  const term = termMs === undefined ? undefined : setTimeout(() => child.kill("SIGTERM"), termMs);
  try {
    return await finished(child);
  } finally {
    clearTimeout(timer);
    clearTimeout(term);
  }
}

function setUp(): { input: string; out: string } {
  const input = tempDir();
  writeFileSync(join(input, "app.jsonl"), `${eventLine()}\n${eventLine()}\n`);
  return { input, out: tempDir() };
}

describe("a FIFO in the place of a lock's file", () => {
  it("named as a lock temp beside the lock: the run ends (exit 0) and leaves it alone", async () => {
    const { input, out } = setUp();
    execFileSync("mkfifo", [join(out, `.etl.lock.${TOKEN}.tmp`)]);
    const run = await etlWithin15s(input, out);
    expect(run.signal, "hung: SIGKILLed after 15 s").toBeNull();
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(out)).toContain(`.etl.lock.${TOKEN}.tmp`);
  }, 30_000);

  it("as the token file in the lock directory: the run ends, refused (exit 1)", async () => {
    const { input, out } = setUp();
    mkdirSync(join(out, ".etl.lock"));
    execFileSync("mkfifo", [join(out, ".etl.lock", TOKEN)]);
    const run = await etlWithin15s(input, out);
    expect(run.signal, "hung: SIGKILLed after 15 s").toBeNull();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/not a regular file, which no run of this tool makes/);
  }, 30_000);

  // Read as no state (a full run), then replaced by the state: written into as a FIFO output, it
  // held the run until a reader came.
  it("at the state file's name (read holding the lock): a full run, exit 0, the state in its place", async () => {
    const { input, out } = setUp();
    execFileSync("mkfifo", [join(out, ".etl-state.json")]);
    const run = await etlWithin15s(input, out);
    expect(run.signal, "hung: SIGKILLed after 15 s").toBeNull();
    expect(run.code, run.stderr).toBe(0);
    expect(statSync(join(out, ".etl-state.json")).isFile()).toBe(true);
    expect(readdirSync(out)).not.toContain(".etl.lock");
    writeFileSync(join(input, "app.jsonl"), `${eventLine()}\n`, { flag: "a" });
    const next = await etlWithin15s(input, out, undefined, false);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toMatch(/what was appended since the last run/);
  }, 30_000);
});
