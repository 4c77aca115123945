// A file retention deleted after it was read (archived), put back later (a backup restored, a
// deletion undone): its events are in the outputs already, so it continues from where it was
// read, as a renamed file does, instead of being exported a second time.
import { appendFileSync, copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runEtl } from "../../src/exporter/index.js";
import { duckdbRows } from "../helpers/duckdb.js";
import { NOW } from "../helpers/event-lines.js";
import { exportByChannel, minuteLines } from "../helpers/history-world.js";
import { expectSameAsFull } from "../helpers/same-as-full.js";
import { tempDir } from "../helpers/temp-dir.js";

// Files of more than 4 KiB (40 lines): their first 4 KiB are what identifies them.
function world() {
  const input = tempDir();
  const backup = tempDir();
  writeFileSync(join(input, "user.jsonl"), minuteLines(0, 40));
  writeFileSync(join(input, "old.jsonl"), minuteLines(1000, 40));
  copyFileSync(join(input, "old.jsonl"), join(backup, "old.jsonl"));
  return {
    input,
    retire: () => rmSync(join(input, "old.jsonl")),
    restore: (as = "old.jsonl", extra = "") =>
      writeFileSync(join(input, as), readFileSync(join(backup, "old.jsonl"), "utf8") + extra),
  };
}

// The ETL over `w` (an incremental one): old.jsonl read, deleted, and archived by a second run.
async function archivedByEtl(w: ReturnType<typeof world>) {
  const out = tempDir();
  const run = () => runEtl({ inputs: [w.input], outputDir: out, incremental: true, now: NOW });
  await run();
  w.retire();
  return { run, archiving: await run() };
}

describe("an archived file put back", () => {
  for (const as of ["old.jsonl", "old.restored.jsonl"]) {
    it(`under ${as === "old.jsonl" ? "its own name" : "another name"}: the ETL continues it, no event twice`, async () => {
      const w = world();
      const { run, archiving } = await archivedByEtl(w);
      expect(archiving.incremental?.archived).toEqual([join(w.input, "old.jsonl")]);
      w.restore(as);
      const back = await run();
      expect(back.incremental).toMatchObject({ mode: "incremental", eventsAdded: 0 });
      expect(back.incremental?.archived).toBeUndefined();
      expect(JSON.parse(readFileSync(back.eventsPath, "utf8"))).toHaveLength(80);
      await expectSameAsFull(back, w.input);
    });
  }

  it("holding lines added after it was read: only those are read", async () => {
    const w = world();
    const { run } = await archivedByEtl(w);
    w.restore("old.jsonl", minuteLines(2000, 3));
    const back = await run();
    expect(back.incremental).toMatchObject({ mode: "incremental", eventsAdded: 3 });
    await expectSameAsFull(back, w.input);
    // Deleted again: archived again, with everything read.
    w.retire();
    const again = await run();
    expect(again.incremental).toMatchObject({ mode: "incremental", eventsAdded: 0 });
    expect(JSON.parse(readFileSync(again.eventsPath, "utf8"))).toHaveLength(83);
  });

  it("an incremental partitioned export continues it, no row twice", async () => {
    const w = world();
    const output = tempDir();
    const run = () => exportByChannel(w.input, output);
    await run();
    w.retire();
    await run();
    w.restore();
    expect((await run()).incremental).toMatchObject({ mode: "incremental", eventsAdded: 0 });
    const [row] = await duckdbRows(
      `SELECT count(*)::INTEGER AS n, count(DISTINCT timestamp)::INTEGER AS d FROM read_parquet('${output}/**/*.parquet', hive_partitioning = true)`,
    );
    expect(row).toEqual({ n: 80, d: 80 });
  });

  // A copy read beside its original, which then grew: two archived files with the same first
  // 4 KiB. Deleted so that the other one is archived last (keyed by head alone, the last won).
  for (const [back, last] of [
    ["old.jsonl", "copy.jsonl"],
    ["copy.jsonl", "old.jsonl"],
  ] as const) {
    it(`of two archived files with the same first bytes, ${back} back continues its own mark`, async () => {
      const input = tempDir();
      const backup = tempDir();
      const out = tempDir();
      writeFileSync(join(input, "old.jsonl"), minuteLines(1000, 40));
      copyFileSync(join(input, "old.jsonl"), join(input, "copy.jsonl"));
      appendFileSync(join(input, "old.jsonl"), minuteLines(2000, 10));
      const run = () => runEtl({ inputs: [input], outputDir: out, incremental: true, now: NOW });
      await run();
      copyFileSync(join(input, back), join(backup, back));
      rmSync(join(input, back));
      await run();
      rmSync(join(input, last));
      await run();
      copyFileSync(join(backup, back), join(input, back));
      const r = await run();
      expect(r.incremental).toMatchObject({ eventsAdded: 0, archived: [join(input, last)] });
      expect(JSON.parse(readFileSync(r.eventsPath, "utf8"))).toHaveLength(90);
    });
  }

  it("a file with other first bytes is new, whatever its name", async () => {
    const w = world();
    const { run } = await archivedByEtl(w);
    writeFileSync(join(w.input, "old.jsonl"), minuteLines(5000, 40));
    const next = await run();
    expect(next.incremental).toMatchObject({ mode: "incremental", eventsAdded: 40 });
    expect(JSON.parse(readFileSync(next.eventsPath, "utf8"))).toHaveLength(120);
  });
});
