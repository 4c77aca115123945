import { type ChildProcess, spawn } from "node:child_process";
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

/** A preloaded hook of test/helpers (`--require`), by its file name. */
export const hookPath = (name: string) => join(ROOT, "test/helpers", name);

/** Spawns the built `telemetry-exporter` with a hook preloaded, its settings in `env`. */
export function spawnWithHook(
  hook: string,
  env: Record<string, string>,
  args: readonly string[],
): ChildProcess {
  return spawn(process.execPath, ["--require", hookPath(hook), BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Runs the built `telemetry-exporter` to its end with a hook preloaded (see {@link spawnWithHook}). */
export function runWithHook(
  hook: string,
  env: Record<string, string>,
  args: readonly string[],
): Promise<ChildResult> {
  return finished(spawnWithHook(hook, env, args));
}
