import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { partitionedExportArgs } from "../helpers/cli.js";
import { waitForExit } from "../helpers/spawn-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

// Each case writes 400,000 lines and waits up to 20 s for the temp file: 8 s alone, past the
// default 30 s on a loaded host (it failed there). A hang guard, not a timed assertion.
const HANG_GUARD_MS = 90_000;

function bigInput(dir: string): void {
  const line = (i: number) =>
    `{"schema_version":"telemetry_event_v1","channel":"user","event":"e${i % 50}","timestamp":"2025-03-01T10:00:00.000Z","payload":{"i":${i},"pad":"${"q".repeat(200)}"}}\n`;
  const chunk = Array.from({ length: 10_000 }, (_, i) => line(i)).join("");
  writeFileSync(join(dir, "user.jsonl"), chunk.repeat(40));
}

// Waits until the export's temp file (or directory) exists in `dir`, then sends `signal` and
// expects the conventional exit code of a process ended by it (128 + its number).
async function interruptWhileWriting(
  child: ChildProcess,
  dir: string,
  signal: "SIGINT" | "SIGTERM" | "SIGHUP" = "SIGINT",
  code = 130,
): Promise<void> {
  // An output's temp, not the lock's (`.etl.lock.<token>.tmp` lives only while it is taken).
  const writing = () => readdirSync(dir).some((f) => f.endsWith(".tmp") && !f.includes(".lock."));
  const deadline = Date.now() + 20_000;
  while (!writing() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  expect(writing()).toBe(true);
  child.kill(signal);
  expect(await waitForExit(child)).toEqual({ code, signal: null });
}

describe("telemetry-exporter interrupted with SIGINT", () => {
  it.each(["json", "parquet"])(
    "%s: exits 130, removes its temp file, leaves the previous output",
    async (format) => {
      const input = tempDir();
      bigInput(input);
      const out = tempDir();
      const output = join(out, `events.${format}`);
      writeFileSync(output, "previous output");
      const bin = join(root, "bin/telemetry-exporter.cjs");
      expect(existsSync(bin)).toBe(true);
      const child = spawn(
        process.execPath,
        [bin, "export", "-i", input, "-f", format, "-o", output, "-q"],
        { stdio: "ignore" },
      );
      await interruptWhileWriting(child, out);
      expect(readdirSync(out)).toEqual([`events.${format}`]);
      expect(readFileSync(output, "utf8")).toBe("previous output");
    },
    HANG_GUARD_MS,
  );

  it("partitioned Parquet: exits 130, removes its temp directory, leaves the previous export", async () => {
    const input = tempDir();
    bigInput(input);
    const out = tempDir();
    const output = join(out, "events");
    const bin = join(root, "bin/telemetry-exporter.cjs");
    const args = [bin, ...partitionedExportArgs(input, output), "-q"];
    await waitForExit(
      spawn(process.execPath, [...args, "--row-group-size", "1000000"], { stdio: "ignore" }),
    );
    const before = readdirSync(output).sort();
    expect(before).toContain("_SUCCESS");
    // Small row groups: many part files, so the run is interrupted while writing them.
    const child = spawn(process.execPath, [...args, "--row-group-size", "500"], {
      stdio: "ignore",
    });
    await interruptWhileWriting(child, out);
    expect(readdirSync(out)).toEqual(["events"]);
    expect(readdirSync(output).sort()).toEqual(before);
  }, 60_000);
});

describe("telemetry-exporter ended by SIGTERM (docker stop, CI cancellation) or SIGHUP", () => {
  it.each([
    ["SIGTERM", 143],
    ["SIGHUP", 129],
  ] as const)(
    "json: %s exits %i, removes its temp file, leaves the previous output",
    async (signal, code) => {
      const input = tempDir();
      bigInput(input);
      const out = tempDir();
      const output = join(out, "events.json");
      writeFileSync(output, "previous output");
      const child = spawn(
        process.execPath,
        [join(root, "bin/telemetry-exporter.cjs"), "export", "-i", input, "-o", output, "-q"],
        { stdio: "ignore" },
      );
      await interruptWhileWriting(child, out, signal, code);
      expect(readdirSync(out)).toEqual(["events.json"]);
      expect(readFileSync(output, "utf8")).toBe("previous output");
    },
    HANG_GUARD_MS,
  );

  it(
    "etl: SIGTERM removes its temp files and the lock of the output directory",
    async () => {
      const input = tempDir();
      bigInput(input);
      const out = tempDir();
      const child = spawn(
        process.execPath,
        [join(root, "bin/telemetry-exporter.cjs"), "etl", "-i", input, "--output-dir", out, "-q"],
        { stdio: "ignore" },
      );
      await interruptWhileWriting(child, out, "SIGTERM", 143);
      expect(readdirSync(out)).toEqual([]);
    },
    HANG_GUARD_MS,
  );
});
