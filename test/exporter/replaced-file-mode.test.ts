// An output that replaces a file keeps that file's permission bits: a user who made an export
// private (`chmod 600`) found it 0644, readable by every user, after the next run. A new output
// is 0644 (less the umask). Real processes; every way a file output is written: a temp file
// written whole, a copy of the events file continued, and the spare brought up to date.
import { chmodSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appendNumbered } from "../helpers/numbered-input.js";
import { runBin } from "../helpers/run-bin.js";
import { tempDir } from "../helpers/temp-dir.js";

const modeOf = (path: string) => statSync(path).mode & 0o777;

async function ok(args: readonly string[]): Promise<void> {
  const run = await runBin(args);
  expect(run.code, run.stderr).toBe(0);
}

describe("an output replacing a file keeps its mode", () => {
  it("export (JSON and Parquet) and aggregate: a new file 0644, a replaced one as it was", async () => {
    const input = tempDir();
    appendNumbered(join(input, "ch.jsonl"), 0, 10);
    const out = tempDir();
    for (const [file, args] of [
      ["e.json", ["export", "-f", "json"]],
      ["e.parquet", ["export", "-f", "parquet"]],
      ["a.json", ["aggregate"]],
    ] as const) {
      const path = join(out, file);
      await ok([...args, "-i", input, "-o", path, "-q"]);
      expect(modeOf(path), file).toBe(0o644 & ~process.umask());
      for (const mode of [0o600, 0o640, 0o444]) {
        chmodSync(path, mode);
        const inode = statSync(path).ino;
        await ok([...args, "-i", input, "-o", path, "-q"]);
        expect(statSync(path).ino, file).not.toBe(inode);
        expect(modeOf(path), `${file} ${mode.toString(8)}`).toBe(mode);
      }
    }
  });

  it("etl --incremental: the events file copied, then continued in its spare, and the report files", async () => {
    const input = tempDir();
    const live = join(input, "ch.jsonl");
    appendNumbered(live, 0, 10);
    const out = tempDir();
    const args = ["etl", "--incremental", "-i", input, "--output-dir", out, "-q"];
    await ok(args);
    const events = join(out, "telemetry_events.json");
    const aggregates = join(out, "telemetry_aggregates.json");
    // Each run adds events and changes the mode: the next writes the events file a new way.
    for (const [run, mode] of [0o600, 0o640, 0o604].entries()) {
      chmodSync(events, mode);
      chmodSync(aggregates, mode);
      appendNumbered(live, 10 * (run + 1), 10);
      await ok(args);
      expect(modeOf(events), `run ${run}`).toBe(mode);
      expect(modeOf(aggregates), `run ${run}`).toBe(mode);
    }
    // (The first copied the events file; the next two continued the spare, the events file the
    // run before replaced, which had the mode set before that run.)
  });
});
