import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ChildResult } from "./run-child.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** Runs the built `telemetry-exporter` (bin and dist) as a real process. */
export function runBin(args: readonly string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${root}bin/telemetry-exporter.cjs`, ...args], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
