// A run killed after replacing an output but before its commit was whole (the ETL's state not
// yet saved; a directory export between its two renames) must not cost the next run its
// history: a full run would drop the events of every input file retention deleted since.
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runEtl } from "../../src/exporter/index.js";
import { sparePathFor } from "../../src/exporter/sinks/keep-replaced.js";
import { duckdbRows } from "../helpers/duckdb.js";
import { NOW } from "../helpers/event-lines.js";
import { exportByChannel, historyWorld, minuteLines } from "../helpers/history-world.js";
import { expectSameAsFull } from "../helpers/same-as-full.js";
import { tempDir } from "../helpers/temp-dir.js";

// The pid of a process that has exited: what a killed run's temp names hold.
const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid as number;

describe("the ETL killed after replacing its events file, before saving its state", () => {
  for (const kept of ["spare", "link"] as const) {
    it(`continues from the replaced file (kept as the ${kept}), keeping archived events`, async () => {
      const w = historyWorld();
      const out = tempDir();
      const run = () => runEtl({ inputs: [w.input], outputDir: out, incremental: true, now: NOW });
      const statePath = join(out, ".etl-state.json");
      await run();
      const before = readFileSync(statePath);
      w.retire();
      w.write("user.jsonl", minuteLines(10, 5));
      const killed = await run();
      expect(killed.incremental?.archived).toHaveLength(1);
      // As the kill leaves it: the new events file in place, the state of the run before.
      writeFileSync(statePath, before);
      const spare = sparePathFor(killed.eventsPath);
      if (kept === "link") renameSync(spare, `${spare}.link`);

      w.write("user.jsonl", minuteLines(15, 3));
      const next = await run();
      expect(next.incremental).toMatchObject({ mode: "incremental", eventsAdded: 8 });
      expect(JSON.parse(readFileSync(next.eventsPath, "utf8"))).toHaveLength(25);
      await expectSameAsFull(next, w.input, w.history);
      const after = await run();
      expect(after.incremental).toMatchObject({ mode: "incremental", eventsAdded: 0 });
    });
  }

  it("starts over when neither the events file nor a kept one is the state's", async () => {
    const w = historyWorld();
    const out = tempDir();
    const run = () => runEtl({ inputs: [w.input], outputDir: out, incremental: true, now: NOW });
    const first = await run();
    writeFileSync(first.eventsPath, "[]\n");
    rmSync(sparePathFor(first.eventsPath), { force: true });
    const next = await run();
    expect(next.incremental).toMatchObject({ mode: "full" });
    expect(next.incremental?.reason).toMatch(/changed since the last run/);
  });
});

describe("a directory export killed between its two renames", () => {
  const count = async (output: string) =>
    (
      await duckdbRows(
        `SELECT count(*)::INTEGER AS n FROM read_parquet('${output}/**/*.parquet', hive_partitioning = true)`,
      )
    )[0]?.n;

  // Run 1, then run 2 left as a kill between the renames leaves it: no directory, the previous
  // export set aside, the new one complete in a dead run's temp directory.
  async function killedBetweenRenames(keepNew: boolean) {
    const w = historyWorld();
    const output = join(tempDir(), "events");
    const run = () => exportByChannel(w.input, output);
    await run();
    const previous = join(tempDir(), "previous");
    cpSync(output, previous, { recursive: true });
    w.retire();
    w.write("user.jsonl", minuteLines(10, 5));
    await run();
    const aside = join(output, "..", ".events.old.0123abcd");
    renameSync(previous, aside);
    const temp = join(output, "..", `.events.${deadPid()}.89abcdef.tmp`);
    if (keepNew) renameSync(output, temp);
    else rmSync(output, { recursive: true });
    return { w, output, run, aside, temp };
  }

  it("puts the new export in place and continues it, keeping archived rows", async () => {
    const { w, output, run, aside, temp } = await killedBetweenRenames(true);
    w.write("user.jsonl", minuteLines(15, 3));
    const next = await run();
    expect(next.incremental).toMatchObject({ mode: "incremental" });
    expect(await count(output)).toBe(25);
    expect(existsSync(aside) || existsSync(temp)).toBe(false);
  });

  it("puts the export set aside back when the new one is gone, and continues it", async () => {
    const { w, output, run, aside } = await killedBetweenRenames(false);
    w.write("user.jsonl", minuteLines(15, 3));
    const next = await run();
    // The export put back read old.jsonl to its end before it was deleted: archived, not lost.
    expect(next.incremental).toMatchObject({ mode: "incremental" });
    expect(next.incremental?.archived).toEqual([join(w.input, "old.jsonl")]);
    expect(await count(output)).toBe(25);
    expect(existsSync(aside)).toBe(false);
  });

  it("leaves a directory its owner removed removed (no export set aside): a full run", async () => {
    const w = historyWorld();
    const output = join(tempDir(), "events");
    await exportByChannel(w.input, output);
    const temp = join(output, "..", `.events.${deadPid()}.89abcdef.tmp`);
    // A complete export left by a run killed before its first rename, then the output removed.
    cpSync(output, temp, { recursive: true });
    rmSync(output, { recursive: true });
    const next = await exportByChannel(w.input, output);
    expect(next.incremental).toMatchObject({ mode: "full" });
    expect(readdirSync(join(output, ".."))).toEqual(["events"]);
  });
});
