import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { eventLine } from "../helpers/event-lines.js";
import { BIN } from "../helpers/run-bin.js";
import { finished } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";
import { ROOT } from "../setup/compiled-sources.js";

// About 10 MB: three segments, all read by the one reader thread asked for, so that its scanners
// are optimized before it transfers its first result, and made again for each later segment.
function input(): string {
  const dir = tempDir();
  const lines = Array.from({ length: 30_000 }, (_, k) =>
    eventLine({ event: `e${k % 7}`, payload: { k, text: "x".repeat(k % 400) } }),
  );
  writeFileSync(join(dir, "events.jsonl"), `${lines.join("\n")}\n`);
  return dir;
}

async function runBin(v8Flag: string, args: string[]) {
  const run = await finished(
    spawn(process.execPath, [v8Flag, BIN, ...args], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  expect(run.stderr).toBe("");
  expect([run.code, run.signal]).toEqual([0, null]);
  return run.stdout;
}

// V8 prints this for each optimized function it throws away because an assumption it was
// compiled under no longer holds: a first detached ArrayBuffer (a reader that transfers its
// results, an encoder that does not call detachEarly first), or an object layout changed under
// it (nanosecond fields that start as integers and become doubles). Those happen in every run.
const THROWN_AWAY = "marking dependent code";
// A collection can also throw code away, by when it runs: code that held a dead object
// ("weak objects"), or, seen about once in 30 runs on a loaded machine, code a collection's
// decisions invalidated ("code dependencies" right after one). Not what is checked here.
const BY_COLLECTION = "reason: weak objects";

// The code a run throws away; the best of three runs, so that a collection's timing in one is
// not taken for what every run does.
async function thrownAway(args: string[]): Promise<string[]> {
  let lines: string[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const trace = await runBin("--trace-deopt-verbose", args);
    lines = trace
      .split("\n")
      .filter((line) => line.includes(THROWN_AWAY) && !line.includes(BY_COLLECTION));
    if (lines.length === 0) break;
  }
  return lines;
}

describe("reader and encoder threads keep the code they optimized", () => {
  it.each(["json", "parquet"])(
    "an export to %s throws no optimized code away when threads transfer their results",
    async (format) => {
      const out = join(tempDir(), `out.${format}`);
      const args = ["export", "-i", input(), "--format", format, "--workers", "1", "-o", out, "-q"];
      expect(await thrownAway(args)).toEqual([]);
    },
  );

  it.each([
    ["aggregate", []],
    ["export", ["--format", "json"]],
  ])("%s %j never detaches a buffer: readers pass shared memory", async (command, flags) => {
    const out = join(tempDir(), "out.json");
    const args = [command, "-i", input(), ...flags, "--workers", "2", "-o", out, "-q"];
    const trace = await runBin("--trace-protector-invalidation", args);
    expect(trace).not.toContain("ArrayBufferDetaching");
  });
});
