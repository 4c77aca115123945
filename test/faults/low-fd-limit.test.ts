import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fixtureCommand } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const bin = fileURLToPath(new URL("../../bin/telemetry-exporter.cjs", import.meta.url));
const FIXTURE = "test/fixtures/processes/export-small-segments.ts";

// The CLI under a low limit of open files, set by the shell as a user would (`ulimit -n 80`).
function underLimit(limit: number, args: readonly string[]) {
  return spawnSync(
    "sh",
    ["-c", `ulimit -n ${limit} && exec "$0" "$@"`, process.execPath, bin, ...args],
    { encoding: "utf8", timeout: 60_000 },
  );
}

function input(): string {
  const dir = tempDir();
  const line = (i: number) =>
    `{"schema_version":"telemetry_event_v1","channel":"user","event":"e${i % 9}","timestamp":"2025-03-01T10:00:00Z","payload":{"i":${i}}}\n`;
  writeFileSync(
    join(dir, "user.jsonl"),
    Array.from({ length: 60_000 }, (_, i) => line(i)).join(""),
  );
  return dir;
}

describe("the CLI under ulimit -n 80 (zod's 64 locale modules are not opened at once)", () => {
  it("validates in this thread and with two worker threads", () => {
    const dir = input();
    for (const workers of ["0", "2"]) {
      const run = underLimit(80, ["validate", "-i", dir, "--workers", workers, "-q"]);
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
      expect(run.stdout).toContain("all 60000 records are valid");
    }
  }, 120_000);

  it("runs an etl", () => {
    const run = underLimit(80, ["etl", "-i", input(), "--output-dir", tempDir(), "-q"]);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
  }, 60_000);

  it("reads 150 files of several segments each under ulimit -n 120: only the files being read hold a descriptor", () => {
    const dir = tempDir();
    let events = 0;
    for (let c = 0; c < 150; c++) {
      const lines = Array.from(
        { length: 150 },
        (_, i) =>
          `{"schema_version":"telemetry_event_v1","channel":"c${c}","event":"e","timestamp":"2025-03-01T10:00:00Z","payload":{"i":${i},"pad":"${"p".repeat(40)}"}}\n`,
      );
      events += lines.length;
      writeFileSync(join(dir, `c${c}.jsonl`), lines.join(""));
    }
    const out = join(tempDir(), "events.jsonl");
    for (const workers of ["0", "2"]) {
      const [node, ...args] = fixtureCommand(FIXTURE, [dir, out, workers]) as [string, ...string[]];
      const run = spawnSync("sh", ["-c", `ulimit -n 120 && exec "$0" "$@"`, node, ...args], {
        encoding: "utf8",
        timeout: 60_000,
      });
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
      expect(Number(run.stdout)).toBe(events);
    }
  }, 120_000);
});
