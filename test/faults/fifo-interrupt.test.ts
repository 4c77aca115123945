import { execFileSync, spawn } from "node:child_process";
import { lstatSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { waitForExit } from "../helpers/spawn-child.js";
import { tempDir } from "../helpers/temp-dir.js";
import { waitUntilIdle } from "../helpers/wait-idle.js";

const bin = fileURLToPath(new URL("../../bin/telemetry-exporter.cjs", import.meta.url));
const LINE =
  '{"schema_version":"telemetry_event_v1","channel":"user","event":"e","timestamp":"2025-03-01T10:00:00Z","payload":{}}\n';

describe("-o FIFO without a reader", () => {
  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)(
    "%s ends the run while it waits for a reader (exit %i)",
    async (signal, code) => {
      const dir = tempDir();
      writeFileSync(join(dir, "in.jsonl"), LINE);
      const fifo = join(dir, "pipe");
      execFileSync("mkfifo", [fifo]);
      const child = spawn(
        process.execPath,
        [bin, "export", "-i", join(dir, "in.jsonl"), "-f", "jsonl", "-o", fifo, "-q"],
        { stdio: "ignore" },
      );
      // Started and at the open of the FIFO: there is no reader, so it waits there, asleep.
      await waitUntilIdle(child.pid as number);
      expect(child.exitCode).toBe(null);
      child.kill(signal);
      const timeout = setTimeout(() => child.kill("SIGKILL"), 10_000);
      const ended = await waitForExit(child);
      clearTimeout(timeout);
      expect(ended).toEqual({ code, signal: null });
      expect(lstatSync(fifo).isFIFO()).toBe(true);
    },
    20_000,
  );
});
