import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { aggregateEvents, runEtl } from "../../src/exporter/index.js";
import { resolveInputs } from "../../src/exporter/plan/resolve-inputs.js";
import { compareInputPaths, rotationRank } from "../../src/exporter/plan/rotated-names.js";
import { eventLine, NOW } from "../helpers/event-lines.js";
import { tempDir } from "../helpers/temp-dir.js";

let clock = Date.UTC(2025, 0, 1);

// `n` events of `channel`, each a minute after the one before: file order is time order.
function lines(channel: string, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    clock += 60_000;
    out.push(eventLine({ channel, event: "tick", timestamp: new Date(clock), payload: { i } }));
  }
  return `${out.join("\n")}\n`;
}

const names = (root: string, files: readonly string[]) =>
  files.map((f) => f.slice(root.length + 1));

describe("directory inputs read rotated files, oldest first", () => {
  it("reads logrotate's numbered and compressed files: all 30 events, not 10", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "user.jsonl.2.gz"), gzipSync(lines("user", 10)));
    writeFileSync(join(dir, "user.jsonl.1"), lines("user", 10));
    writeFileSync(join(dir, "user.jsonl"), lines("user", 10));
    const out = tempDir();
    const result = await runEtl({ inputs: [dir], outputDir: out, now: NOW });
    expect(result.report.totals.valid).toBe(30);
    const events = JSON.parse(readFileSync(result.eventsPath, "utf8")) as { timestamp: string }[];
    const times = events.map((e) => e.timestamp);
    expect(times).toEqual([...times].sort());
    expect(result.report.inventory.files.map((f) => f.path)).toEqual(
      ["user.jsonl.2.gz", "user.jsonl.1", "user.jsonl"].map((n) => join(dir, n)),
    );
  });

  it("orders every scheme: numbered, then dated and stamped by time, the live file last", () => {
    const dir = tempDir();
    const all = [
      "user.jsonl",
      "user.jsonl.1",
      "user.jsonl.10.gz",
      "user.jsonl.2.gz",
      "user.jsonl-20250103.gz",
      "user.jsonl-20250102",
      "user.20250102T120000000Z-1.jsonl.gz",
      "user.20250102T120000000Z.jsonl",
      "user.20250102T000000000Z.jsonl",
      "system.jsonl",
      "system.jsonl.1",
      // Not read: other names, temp files, and a .gz whose source is still there.
      "notes.txt",
      "user.jsonl.old",
      ".user.20250104T000000000Z.jsonl.gz.tmp",
      "user.20250102T000000000Z.jsonl.gz",
    ];
    for (const name of all) writeFileSync(join(dir, name), "");
    const { files } = resolveInputs([dir]);
    expect(names(dir, files)).toEqual([
      "system.jsonl.1",
      "system.jsonl",
      "user.jsonl.10.gz",
      "user.jsonl.2.gz",
      "user.jsonl.1",
      "user.jsonl-20250102",
      "user.20250102T000000000Z.jsonl",
      "user.20250102T120000000Z.jsonl",
      "user.20250102T120000000Z-1.jsonl.gz",
      "user.jsonl-20250103.gz",
      "user.jsonl",
    ]);
  });

  it("a glob means what it says: `*.jsonl` does not add rotated siblings", () => {
    const dir = tempDir();
    for (const name of ["user.jsonl", "user.jsonl.1", "user.jsonl-20250102", "x.jsonl.gz"]) {
      writeFileSync(join(dir, name), "");
    }
    writeFileSync(join(dir, "user.20250102T000000000Z.jsonl"), "");
    const { files } = resolveInputs([join(dir, "*.jsonl")]);
    // A Tracker segment's name ends in .jsonl, so the glob matches it, in time order.
    expect(names(dir, files)).toEqual(["user.20250102T000000000Z.jsonl", "user.jsonl"]);
  });

  it("ranks names by their live file", () => {
    expect(rotationRank("d/a.b.jsonl.3")).toMatchObject({ group: "d/a.b.jsonl", tier: 0 });
    expect(rotationRank("d/a.20250101T000000000Z.jsonl")).toMatchObject({
      group: "d/a.jsonl",
      tier: 1,
    });
    expect(rotationRank("d/data.csv")).toMatchObject({ group: "d/data.csv", tier: 2 });
    expect(compareInputPaths("d/a.jsonl", "d/a.jsonl.1")).toBeGreaterThan(0);
    expect(compareInputPaths("d/a.jsonl.gz", "d/a.jsonl")).toBeGreaterThan(0);
  });

  it("a bad line in a .gz names the .gz file and its line; a corrupt .gz loses no other file's events", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "user.jsonl.1.gz"), gzipSync(`${lines("user", 2)}{"bad"\n`));
    const truncated = gzipSync(lines("user", 50));
    writeFileSync(join(dir, "user.jsonl.2.gz"), truncated.subarray(0, truncated.length - 40));
    writeFileSync(join(dir, "user.jsonl-20250101.gz"), "not gzip at all\n");
    writeFileSync(join(dir, "user.jsonl"), lines("user", 7));
    const { report } = await aggregateEvents({ inputs: [dir], now: NOW });
    const byPath = new Map(report.inventory.files.map((f) => [f.path, f]));
    expect(byPath.get(join(dir, "user.jsonl"))?.valid).toBe(7);
    expect(byPath.get(join(dir, "user.jsonl.1.gz"))).toMatchObject({ valid: 2, invalid: 1 });
    expect(byPath.get(join(dir, "user.jsonl.2.gz"))?.error).toMatch(/corrupt or truncated/);
    expect(byPath.get(join(dir, "user.jsonl-20250101.gz"))?.error).toMatch(/corrupt or truncated/);
    const bad = report.anomalies.first.find((d) => d.code !== "invalid_gzip");
    expect(bad).toMatchObject({ file: join(dir, "user.jsonl.1.gz"), line: 3 });
    expect(report.anomalies.by_code.invalid_gzip).toBe(2);
  });

  it("reads a .gz on worker threads as one segment, the same as in one thread", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "user.jsonl.1.gz"), gzipSync(lines("user", 400)));
    writeFileSync(join(dir, "user.jsonl"), lines("user", 400));
    const one = await aggregateEvents({ inputs: [dir], now: NOW });
    const many = await aggregateEvents(
      { inputs: [dir], now: NOW },
      { workers: 2, segmentBytes: 500 },
    );
    expect(many.report).toEqual(one.report);
    expect(one.report.totals.valid).toBe(800);
  });
});
