import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir } from "./helpers/temp-dir.js";

const root = fileURLToPath(new URL("../", import.meta.url));

describe("make bench (smoke: a few thousand events, one run)", () => {
  it("runs every comparison and writes bench/results.json", () => {
    const dir = tempDir();
    const results = join(dir, "results.json");
    const run = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "bench/run.ts",
        "--events",
        "3000",
        "--runs",
        "1",
        "--no-scaling",
        "--smoke",
        "--data",
        join(dir, "data"),
        "--results",
        results,
      ],
      // A guard against a hang, not a speed check: alone it takes about 25 s of CPU, but a host
      // shared with other jobs (load 17 on 2 cores) stretched it to 116-120 s, killed here.
      { cwd: root, encoding: "utf8", timeout: 360_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    for (const name of [
      "DuckDB aggregate (fair",
      "auto-detected columns (old reference)",
      "telemetry-exporter aggregate",
      "DuckDB COPY to Parquet (fair)",
      "emit: pino",
      "emit: stringify-write",
      "emit: tracker",
      "etl --incremental after +1% appended",
      "compact: 100 small part files per partition",
      "etl --incremental, +1%, first run after a full one (copies the events file)",
      "copy + fsync of the events output (what a run without the spare pays)",
      "etl --incremental after rotation: renamed, +1% in a new live file",
      "etl --incremental after rotation: the older segment compressed, +1% new",
    ]) {
      expect(run.stdout).toContain(name);
    }
    const json = JSON.parse(readFileSync(results, "utf8"));
    expect(json.events).toBe(3000);
    expect(
      json.rows.find((r: { name: string }) => r.name === "telemetry-exporter aggregate").ratio,
    ).toBeGreaterThan(0);
    // Every consuming figure on every data set, each with its fair reference.
    for (const data of ["standard", "python", "sorted", "fields", "small", "heavy"]) {
      for (const name of [
        "telemetry-exporter aggregate",
        "telemetry-exporter export --format json",
        "telemetry-exporter export --format parquet",
        "read + write the bytes, fsync (floor, one thread)",
      ]) {
        const row = json.rows.find(
          (r: { name: string; data?: string }) => r.name === name && r.data === data,
        );
        expect(row?.reference, `${data}: ${name}`).toContain("(fair");
        expect(row.ratio).toBeGreaterThan(0);
      }
    }
    // The other producers' spellings really are what the bench says they are.
    const python = readFileSync(join(dir, "data", "python-1500", "user.jsonl"), "utf8");
    expect(python).toMatch(/^\{"schema_version": "telemetry_event_v1", "channel": "user", /);
    expect(python).toMatch(/"timestamp": "\d{4}-\d\d-\d\dT[\d:]{8}(\.\d{6})?\+00:00"/);
    const sorted = readFileSync(join(dir, "data", "sorted-1500", "user.jsonl"), "utf8");
    expect(sorted).toMatch(/^\{"channel":"user","event":"[^"]+","payload":\{/);
    expect(sorted).toMatch(/"timestamp":"[\d:T-]{19}\.\d{9}Z"\}\n/);
    const fields = readFileSync(join(dir, "data", "fields-1500", "user.jsonl"), "utf8");
    expect(fields).toMatch(/^\{"schema_version": "telemetry_event_v1", "channel": "user", /);
    expect(fields).toMatch(/\}, "host": "web-\d", "pid": \d+\}\n/);
    const heavy = readFileSync(join(dir, "data", "heavy-375", "user.jsonl"), "utf8");
    expect(heavy).toMatch(/\\"/);
    expect(heavy).toMatch(/[^\x00-\x7f]/);
    expect(json.emit.tracker).toBeGreaterThan(0);
    expect(json.emit["stringify-write"]).toBeGreaterThan(0);
    const incremental = json.rows.find((r: { name: string }) => r.name.includes("+1% appended"));
    expect(incremental.reference).toBe("etl --incremental --full (reads everything)");
    expect(incremental.ratio).toBeGreaterThan(0);
    const compact = json.rows.find((r: { name: string }) => r.name.startsWith("compact:"));
    expect(compact.reference).toBe("export --partition-by channel --writer (the same rows)");
    expect(compact.ratio).toBeGreaterThan(0);
    // A row with a target says whether it met it; the table prints it.
    expect(compact.target).toBe("<= 1.5x");
    expect(compact.met).toBe(compact.ratio <= 1.5);
    expect(run.stdout).toMatch(
      /\| compact: 100 small part files per partition \|.*\| <= 1\.5x \| (yes|no) \|/,
    );
    // The rotation rows: against the same append without rotation (bench/rotation.ts throws, and
    // the run fails, if a run after rotation was a full one or its outputs are not a full run's).
    for (const name of ["renamed, +1% in", "the older segment compressed"]) {
      const row = json.rows.find((r: { name: string }) => r.name.includes(name));
      expect(row.reference).toBe("etl --incremental, +1% appended (rotation's reference)");
      expect(row.target).toBe("<= 1.2x");
      expect(typeof row.met).toBe("boolean");
    }
  }, 400_000);
});
