// An upgrade of the tool continues the incremental state an older version saved: a full run
// instead would drop the events of the files retention deleted since they were read.
import { appendFileSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { runEtl } from "../../src/exporter/index.js";
import { duckdbRows } from "../helpers/duckdb.js";
import { NOW } from "../helpers/event-lines.js";
import { exportByChannel, minuteLines } from "../helpers/history-world.js";
import { tempDir } from "../helpers/temp-dir.js";

// The version the code in this file runs as, changed between runs (a mutable stand-in for
// package.json's version, which every module reads through packageVersion()).
const version = vi.hoisted(() => ({ current: "0.1.0" }));
vi.mock("../../src/version.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/version.js")>();
  return { ...real, packageVersion: () => version.current };
});

// A live file read, then rotated and the rotated segment deleted by retention: archived.
function archivedWorld() {
  const input = tempDir();
  const live = join(input, "user.jsonl");
  writeFileSync(live, minuteLines(0, 10));
  const rotate = () => {
    renameSync(live, join(input, "user.20250301T000000000Z.jsonl"));
    writeFileSync(live, minuteLines(10, 2));
  };
  const retire = () => rmSync(join(input, "user.20250301T000000000Z.jsonl"));
  const append = () => appendFileSync(live, minuteLines(12, 3));
  return { input, rotate, retire, append };
}

describe("an upgrade of the tool", () => {
  it("continues the ETL's state, keeping the archived files' events", async () => {
    const w = archivedWorld();
    const out = tempDir();
    const run = () => runEtl({ inputs: [w.input], outputDir: out, incremental: true, now: NOW });
    version.current = "0.1.0";
    await run();
    w.rotate();
    await run();
    w.retire();
    const before = await run();
    expect(before.incremental?.archived).toHaveLength(1);
    expect(JSON.parse(readFileSync(before.eventsPath, "utf8"))).toHaveLength(12);
    version.current = "0.2.0";
    w.append();
    const after = await run();
    expect(after.incremental).toMatchObject({ mode: "incremental", eventsAdded: 3 });
    expect(JSON.parse(readFileSync(after.eventsPath, "utf8"))).toHaveLength(15);
    expect(after.report.generator.version).toBe("0.2.0");
  });

  it("continues a partitioned export's state, keeping the archived files' rows", async () => {
    const w = archivedWorld();
    const output = tempDir();
    const run = () => exportByChannel(w.input, output);
    version.current = "0.1.0";
    await run();
    w.rotate();
    await run();
    w.retire();
    await run();
    version.current = "0.2.0";
    w.append();
    const after = await run();
    expect(after.incremental?.mode).toBe("incremental");
    const [row] = await duckdbRows(
      `SELECT count(*)::INTEGER AS n FROM read_parquet('${output}/**/*.parquet', hive_partitioning = true)`,
    );
    expect(row?.n).toBe(15);
  });
});
