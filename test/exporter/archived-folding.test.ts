// Archived files beyond the newest ARCHIVED_KEPT are folded into one entry per channel: the
// state, the aggregate report and the HTML report stay bounded as retention deletes files read
// to their end, while the report's numbers stay a full run's over every file ever read.
import { createHash } from "node:crypto";
import { appendFileSync, cpSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type ExportOptions, exportEvents, runEtl } from "../../src/exporter/index.js";
import type { AggregateReport } from "../../src/exporter/model/report-schema.js";
import { ARCHIVED_KEPT } from "../../src/exporter/state/fold-archived.js";
import { etlStateSchema, exportStateSchema } from "../../src/exporter/state/state-schemas.js";
import { runCli } from "../helpers/cli.js";
import { duckdbRows } from "../helpers/duckdb.js";
import { eventLine, NOW } from "../helpers/event-lines.js";
import { sortedEvents } from "../helpers/same-as-full.js";
import { SETTLED } from "../helpers/settled-clock.js";
import { tempDir } from "../helpers/temp-dir.js";

const CHANNELS = ["billing", "system", "user"] as const;
let serial = 0;

// A rotated Tracker segment's name: `<channel>.<YYYYMMDDTHHMMSSmmm>Z.jsonl`, one a minute.
function segmentName(channel: string, n: number): string {
  const stamp = new Date(Date.UTC(2025, 2, 1) + n * 60_000).toISOString();
  return `${channel}.${stamp.replace(/[-:.]/g, "").slice(0, 18)}Z.jsonl`;
}

// Two events a segment, over three days (the counts stay a few runs a name); some segments
// hold an invalid line or a schema violation, so the report's anomalies come from many files.
function segment(n: number): string {
  const out: string[] = [];
  for (let k = 0; k < 2; k++) {
    const i = serial++;
    const timestamp = new Date(Date.UTC(2025, 1, 1 + (i % 3), 0, i % 60));
    out.push(eventLine({ channel: "user", event: `e${i % 4}`, timestamp, payload: { i } }));
  }
  if (n % 7 === 0) out.push(`{"broken": ${n}`);
  if (n % 11 === 0) out.push(JSON.stringify({ schema_version: "telemetry_event_v1", n }));
  return `${out.join("\n")}\n`;
}

function setup() {
  const input = tempDir();
  const out = tempDir();
  const history = tempDir();
  for (const channel of CHANNELS) writeFileSync(join(input, `${channel}.jsonl`), segment(0));
  let next = 0;
  // `count` segments, spread over the channels, written to the input and to the history.
  const addSegments = (count: number) => {
    const names: string[] = [];
    for (let k = 0; k < count; k++, next++) {
      const name = segmentName(CHANNELS[next % 3] as string, next);
      writeFileSync(join(input, name), segment(next));
      names.push(name);
    }
    cpSync(input, history, { recursive: true });
    return names;
  };
  const remove = (names: readonly string[]) => {
    for (const name of names) rmSync(join(input, name));
  };
  const run = () => runEtl({ inputs: [input], outputDir: out, incremental: true, now: NOW });
  const cli = () => runCli(["etl", "-i", input, "--output-dir", out, "--incremental"]);
  const size = (name: string) => statSync(join(out, name)).size;
  const state = () =>
    etlStateSchema.parse(
      JSON.parse(readFileSync(join(out, ".etl-state.json"), "utf8").split("\n")[1] ?? ""),
    );
  return { input, out, history, addSegments, remove, run, cli, size, state };
}

// The report without its inventory's files (the part folding summarises), paths made relative.
function numbers(report: AggregateReport, dir: string): unknown {
  const plain = JSON.parse(JSON.stringify(report).replaceAll(dir, "IN"));
  plain.inventory.files = [];
  return plain;
}

async function fullRun(history: string) {
  return runEtl({ inputs: [history], outputDir: tempDir(), now: NOW });
}

describe("archived files beyond the newest ones are folded, one entry per channel", () => {
  it("the folded report has a full run's numbers and anomalies; the next run is incremental", async () => {
    const c = setup();
    const names = c.addSegments(ARCHIVED_KEPT + 150);
    await c.run();
    c.remove(names);
    const folded = await c.run();
    expect(folded.incremental).toMatchObject({ mode: "incremental", bytesRead: 0 });
    expect(folded.incremental?.archived).toHaveLength(ARCHIVED_KEPT);
    const rollups = folded.incremental?.folded ?? [];
    expect(rollups.map((f) => f.files).reduce((a, b) => a + b, 0)).toBe(150);
    // Archived in input order: the 150 oldest are billing's first segments.
    expect(rollups).toHaveLength(1);

    const full = await fullRun(c.history);
    expect(numbers(folded.report, c.input)).toEqual(numbers(full.report, c.history));
    // The anomalies come from folded files too: their samples are a full run's, in its order.
    expect(folded.report.anomalies.first).toHaveLength(20);
    expect(folded.report.anomalies.first[0]?.file).toBe(join(c.input, segmentName("billing", 0)));
    expect(sortedEvents(folded.eventsPath)).toEqual(sortedEvents(full.eventsPath));

    // The inventory: the files that exist, the newest archived ones, one entry per channel.
    const files = folded.report.inventory.files;
    expect(files).toHaveLength(3 + ARCHIVED_KEPT + 1);
    const billing = files.find((f) => f.folded !== undefined);
    expect(billing).toMatchObject({
      path: join(c.input, segmentName("billing", 0)),
      archived: true,
      folded: { files: 150, last_path: join(c.input, segmentName("billing", 447)) },
    });
    const html = readFileSync(folded.reportPath, "utf8");
    expect(html).toContain("150 archived files, folded into one entry");

    // Still incremental: only what was appended is read, and the numbers stay a full run's.
    const late = segment(5000);
    appendFileSync(join(c.input, "user.jsonl"), late);
    appendFileSync(join(c.history, "user.jsonl"), late);
    const after = await c.run();
    expect(after.incremental).toMatchObject({ mode: "incremental", bytesRead: late.length });
    expect(numbers(after.report, c.input)).toEqual(
      numbers((await fullRun(c.history)).report, c.history),
    );
  });

  it("the state and both reports stay the same size as more files are archived", async () => {
    const c = setup();
    const sizes: number[][] = [];
    for (let round = 0; round < 4; round++) {
      const names = c.addSegments(600);
      await c.run();
      c.remove(names);
      await c.run();
      const files = ["telemetry_aggregates.json", "telemetry_report.html", ".etl-state.json"];
      sizes.push(files.map(c.size));
    }
    // 1,200 archived files after round 2, 2,400 after round 4: the same size, within 5%.
    const [second, fourth] = [sizes[1] as number[], sizes[3] as number[]];
    for (const [k, bytes] of fourth.entries()) {
      expect(bytes).toBeLessThan((second[k] as number) * 1.05);
    }
    const state = c.state();
    expect(state.archived).toHaveLength(ARCHIVED_KEPT);
    expect(state.folded?.map((f) => f.files).reduce((a, b) => a + b, 0)).toBe(2400 - ARCHIVED_KEPT);
    // The state's counts still add up to the events file's (check-state.ts): no full run.
    expect((await c.run()).incremental?.mode).toBe("incremental");
    expect(numbers((await c.run()).report, c.input)).toEqual(
      numbers((await fullRun(c.history)).report, c.history),
    );
  });

  it("the CLI counts folded files as archived, and a full run names them as gone", async () => {
    const c = setup();
    const names = c.addSegments(ARCHIVED_KEPT + 6);
    await c.run();
    c.remove(names);
    const kept = await c.cli();
    expect(kept.stderr).toContain(`${ARCHIVED_KEPT + 6} deleted file(s) kept as archived`);
    const full = await runCli([
      "etl",
      "-i",
      c.input,
      "--output-dir",
      c.out,
      "--incremental",
      "--full",
    ]);
    expect(full.stderr).toContain(
      `archived and now gone, no longer in the outputs: 6 file(s) from ${join(c.input, segmentName("billing", 0))} to ${join(c.input, segmentName("billing", 15))}`,
    );
  });

  it("a folded entry whose counts were edited makes the state inconsistent: a full run", async () => {
    const c = setup();
    const names = c.addSegments(ARCHIVED_KEPT + 3);
    await c.run();
    c.remove(names);
    await c.run();
    const path = join(c.out, ".etl-state.json");
    const body = JSON.parse(readFileSync(path, "utf8").split("\n")[1] ?? "");
    body.folded[0].tally.valid += 1;
    const text = JSON.stringify(body);
    const sha256 = createHash("sha256").update(text).digest("hex");
    writeFileSync(path, `${JSON.stringify({ state_version: 5, sha256 })}\n${text}\n`);
    const result = await c.run();
    expect(result.incremental?.mode).toBe("full");
    expect(result.incremental?.reason).toMatch(/state file is inconsistent .*folded\)/);
  });

  it("a state of format 4, written before folding, is continued and folded", async () => {
    const c = setup();
    const names = c.addSegments(ARCHIVED_KEPT + 3);
    await c.run();
    c.remove(names.slice(0, ARCHIVED_KEPT - 1));
    await c.run();
    // As the version before wrote it: format 4, no `folded`.
    const path = join(c.out, ".etl-state.json");
    const body = JSON.parse(readFileSync(path, "utf8").split("\n")[1] ?? "");
    expect(body.folded).toEqual([]);
    delete body.folded;
    body.state_version = 4;
    const text = JSON.stringify(body);
    const sha256 = createHash("sha256").update(text).digest("hex");
    writeFileSync(path, `${JSON.stringify({ state_version: 4, sha256 })}\n${text}\n`);
    c.remove(names.slice(ARCHIVED_KEPT - 1));
    const result = await c.run();
    expect(result.incremental).toMatchObject({ mode: "incremental", bytesRead: 0 });
    expect(c.state().folded?.[0]?.files).toBe(3);
    expect(numbers(result.report, c.input)).toEqual(
      numbers((await fullRun(c.history)).report, c.history),
    );
  });
});

describe("an incremental partitioned export folds its archived files too", () => {
  it("its state stays bounded, its rows a full export's, and the next run incremental", async () => {
    const c = setup();
    const out = join(tempDir(), "parts");
    const options: ExportOptions = {
      clock: SETTLED,
      inputs: [c.input],
      format: "parquet",
      output: out,
      partitionBy: "day",
      incremental: true,
    };
    const stateSize = () => statSync(join(out, ".export-state.json")).size;
    const sizes: number[] = [];
    for (let round = 0; round < 3; round++) {
      const names = c.addSegments(550);
      await exportEvents(options);
      c.remove(names);
      const result = await exportEvents(options);
      expect(result.incremental).toMatchObject({ mode: "incremental", bytesRead: 0 });
      sizes.push(stateSize());
    }
    // 1,100 archived files after round 2, 1,650 after round 3: the same size, within 5%.
    expect(sizes[2]).toBeLessThan((sizes[1] as number) * 1.05);
    const text = readFileSync(join(out, ".export-state.json"), "utf8").split("\n")[1] ?? "";
    const state = exportStateSchema.parse(JSON.parse(text));
    expect(state.archived).toHaveLength(ARCHIVED_KEPT);
    expect(state.folded?.map((f) => f.files).reduce((a, b) => a + b, 0)).toBe(1650 - ARCHIVED_KEPT);
    const full = join(tempDir(), "full");
    await exportEvents({ ...options, inputs: [c.history], output: full, incremental: false });
    const count = (dir: string) =>
      duckdbRows(`SELECT count(*)::INTEGER AS n FROM read_parquet('${dir}/**/*.parquet')`);
    expect(await count(out)).toEqual(await count(full));
  });
});
