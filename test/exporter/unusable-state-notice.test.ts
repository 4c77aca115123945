// A state that is there but cannot be continued makes a full run, and the events of the files it
// kept as archived (deleted since they were read) leave the outputs. The run names them when the
// state was read whole (inconsistent: as for a state of other options), says that it cannot when
// the state could not be read (corrupt), and says so under --quiet too: a cron job's only trace.
import { createHash } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appendNumbered } from "../helpers/numbered-input.js";
import { runBin } from "../helpers/run-bin.js";
import { tempDir } from "../helpers/temp-dir.js";

// An ETL directory whose state keeps one archived file: read, then deleted by retention.
async function withArchived() {
  const input = tempDir();
  const out = join(tempDir(), "out");
  const args = ["etl", "--incremental", "-i", input, "--output-dir", out, "-q"];
  const segment = join(input, "ch.20260101T000000000Z.jsonl");
  appendNumbered(segment, 0, 5);
  appendNumbered(join(input, "ch.jsonl"), 5, 5);
  expect((await runBin(args)).stderr).toBe("");
  rmSync(segment);
  expect((await runBin(args)).stderr).toBe("");
  return { args, segment, state: join(out, ".etl-state.json") };
}

describe("a full run over a state it cannot continue, under --quiet", () => {
  it("an inconsistent state: names the archived files whose events left", async () => {
    const { args, segment, state } = await withArchived();
    // Whole and checksummed, but a mark in the middle of a line.
    const body = JSON.parse(readFileSync(state, "utf8").split("\n")[1] as string);
    body.files[0].offset = 1;
    const text = JSON.stringify(body);
    const sha256 = createHash("sha256").update(text).digest("hex");
    writeFileSync(state, `${JSON.stringify({ state_version: 5, sha256 })}\n${text}\n`);
    const run = await runBin(args);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^incremental: full run \(state file is inconsistent \(.*\); ignored\)/,
    );
    expect(lines.slice(1)).toEqual([
      `incremental: archived and now gone, no longer in the outputs: ${segment}`,
    ]);
  });

  it("a corrupt state: says the archived files' events, if any, are gone", async () => {
    const { args, state } = await withArchived();
    writeFileSync(state, readFileSync(state, "utf8").replace('"offset"', '"offset" '));
    const run = await runBin(args);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr.trimEnd().split("\n")).toEqual([
      expect.stringMatching(
        /^incremental: full run \(state file is corrupt \(its checksum does not match\); ignored\); read /,
      ),
      "incremental: the events of files the state kept as archived (deleted since it read them), if any, are no longer in the outputs",
    ]);
    // A first run has no state to lose: nothing said.
    rmSync(state);
    expect((await runBin(args)).stderr).toBe("");
  });
});
