// Permission-denied paths need a process that permissions stop: root (CI runs the suite as root)
// never sees EACCES or EPERM. As root, the process under test runs as `nobody` and the files a
// test makes are given to it, so that it owns them as the suite's user does when not root: a
// `chmod` then denies it exactly what it denies that user. Not root, the process runs as the
// suite's own user. Neither (root that cannot change its uid): the tests skip.
import { type SpawnOptions, spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../setup/compiled-sources.js";
import { BIN } from "./run-bin.js";
import { type ChildResult, finished, fixtureCommand } from "./run-child.js";

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

function canDropPrivileges(): boolean {
  if (process.getuid === undefined) return false;
  if (!isRoot) return true;
  const probe = spawnSync(
    process.execPath,
    ["-e", "process.exit(process.getuid() === 0 ? 1 : 0)"],
    {
      uid: NOBODY,
      gid: NOBODY,
      cwd: ROOT,
    },
  );
  return probe.error === undefined && probe.status === 0;
}

/** Whether a process that permissions stop can be run here (for `describe.runIf`). */
export const UNPRIVILEGED = canDropPrivileges();

/** The spawn options that run a child as the unprivileged user. */
export function unprivilegedOptions(): SpawnOptions {
  return isRoot ? { uid: NOBODY, gid: NOBODY } : {};
}

/** Gives `path` and everything under it to the unprivileged user (as root; else already ours). */
export function giveToUnprivileged(path: string): void {
  if (!isRoot) return;
  chownSync(path, NOBODY, NOBODY);
  const stat = lstatSync(path);
  if (stat.isDirectory()) {
    // A temp directory is 0700: the child must reach what it owns inside.
    for (const name of readdirSync(path)) giveToUnprivileged(join(path, name));
  }
}

/** Makes `dir` (a fresh temp directory) and its parents reachable, and gives it away. */
export function unprivilegedDir(dir: string): string {
  chmodSync(dir, 0o755);
  giveToUnprivileged(dir);
  return dir;
}

/**
 * Runs the built `telemetry-exporter` as the unprivileged user; `timeoutMs`: killed (SIGTERM)
 * after that long, so that a run that never ends fails its test instead of outliving it.
 */
export function runBinUnprivileged(
  args: readonly string[],
  timeoutMs = 20_000,
): Promise<ChildResult> {
  return finished(
    spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: timeoutMs,
      ...unprivilegedOptions(),
    }),
  );
}

/** Runs a TypeScript fixture (compiled) as the unprivileged user. */
export function runTsUnprivileged(script: string, args: readonly string[]): Promise<ChildResult> {
  const [node, ...rest] = fixtureCommand(script, args) as [string, ...string[]];
  return finished(
    spawn(node, rest, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], ...unprivilegedOptions() }),
  );
}

/** The arguments of `etl --incremental` from `input` into `out`. */
export function incrementalEtl(input: string, out: string): string[] {
  return ["etl", "--incremental", "-i", input, "--output-dir", out];
}

// Modes to put back before the temp directories are removed (a suite that is not root cannot
// remove a directory it may not enter).
const restore: [string, number][] = [];

/** Sets `path`'s mode to `mode` for this test; {@link restoreModes} sets it to `back` after. */
export function deny(path: string, mode: number, back = 0o755): void {
  chmodSync(path, mode);
  restore.push([path, back]);
}

/** Puts back every mode {@link deny} changed, the last first (for `afterEach`). */
export function restoreModes(): void {
  for (const [path, mode] of restore.splice(0).reverse()) chmodSync(path, mode);
}
