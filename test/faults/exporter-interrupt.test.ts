import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { waitForExit } from "../helpers/spawn-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

function bigInput(dir: string): void {
  const line = (i: number) =>
    `{"schema_version":"telemetry_event_v1","channel":"user","event":"e${i % 50}","timestamp":"2025-03-01T10:00:00.000Z","payload":{"i":${i},"pad":"${"q".repeat(200)}"}}\n`;
  const chunk = Array.from({ length: 10_000 }, (_, i) => line(i)).join("");
  writeFileSync(join(dir, "user.jsonl"), chunk.repeat(40));
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
      // Wait until the temp file exists, then interrupt.
      const deadline = Date.now() + 20_000;
      while (!readdirSync(out).some((f) => f.endsWith(".tmp")) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(readdirSync(out).some((f) => f.endsWith(".tmp"))).toBe(true);
      child.kill("SIGINT");
      const end = await waitForExit(child);
      expect(end.code).toBe(130);
      expect(readdirSync(out)).toEqual([`events.${format}`]);
      expect(readFileSync(output, "utf8")).toBe("previous output");
    },
  );

  it("partitioned Parquet: exits 130, removes its temp directory, leaves the previous export", async () => {
    const input = tempDir();
    bigInput(input);
    const out = tempDir();
    const output = join(out, "events");
    const bin = join(root, "bin/telemetry-exporter.cjs");
    const args = [
      bin,
      "export",
      "-i",
      input,
      "-f",
      "parquet",
      "--partition-by",
      "day",
      "-o",
      output,
      "-q",
    ];
    await waitForExit(
      spawn(process.execPath, [...args, "--row-group-size", "1000000"], { stdio: "ignore" }),
    );
    const before = readdirSync(output).sort();
    expect(before).toContain("_SUCCESS");
    // Small row groups: many part files, so the run is interrupted while writing them.
    const child = spawn(process.execPath, [...args, "--row-group-size", "500"], {
      stdio: "ignore",
    });
    const deadline = Date.now() + 20_000;
    while (!readdirSync(out).some((f) => f.endsWith(".tmp")) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(readdirSync(out).some((f) => f.endsWith(".tmp"))).toBe(true);
    child.kill("SIGINT");
    const end = await waitForExit(child);
    expect(end.code).toBe(130);
    expect(readdirSync(out)).toEqual(["events"]);
    expect(readdirSync(output).sort()).toEqual(before);
  }, 60_000);
});
