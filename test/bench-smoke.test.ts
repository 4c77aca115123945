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
      { cwd: root, encoding: "utf8", timeout: 120_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    for (const name of [
      "DuckDB aggregate",
      "telemetry-exporter aggregate",
      "DuckDB COPY to Parquet",
      "emit: pino",
      "emit: tracker",
      "etl --incremental after +1% appended",
      "compact: 100 small part files per partition",
    ]) {
      expect(run.stdout).toContain(name);
    }
    const json = JSON.parse(readFileSync(results, "utf8"));
    expect(json.events).toBe(3000);
    expect(
      json.rows.find((r: { name: string }) => r.name === "telemetry-exporter aggregate").ratio,
    ).toBeGreaterThan(0);
    expect(json.emit.tracker).toBeGreaterThan(0);
    const incremental = json.rows.find((r: { name: string }) => r.name.includes("+1% appended"));
    expect(incremental.reference).toBe("etl --incremental --full (reads everything)");
    expect(incremental.ratio).toBeGreaterThan(0);
    const compact = json.rows.find((r: { name: string }) => r.name.startsWith("compact:"));
    expect(compact.reference).toBe("export --partition-by channel --writer (the same rows)");
    expect(compact.ratio).toBeGreaterThan(0);
  }, 150_000);
});
