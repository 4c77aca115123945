import { spawn } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../setup/compiled-sources.js";
import { type ChildResult, finished } from "./run-child.js";

/** The built `telemetry-exporter` (bin and dist), as an installed package runs it. */
export const BIN = join(ROOT, "bin/telemetry-exporter.cjs");

/** Runs the built `telemetry-exporter` as a real process. */
export function runBin(args: readonly string[]): Promise<ChildResult> {
  return finished(
    spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] }),
  );
}
