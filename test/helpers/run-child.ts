import { type ChildProcess, spawn } from "node:child_process";
import { compiledPath, ROOT } from "../setup/compiled-sources.js";

/** How a child process ended. */
export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly stdout: string;
}

/** Collects a piped child's output until it ends. */
export function finished(child: ChildProcess): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * The command line that runs a TypeScript fixture (a path from the repository root): Node on
 * its compiled copy (test/setup/compiled-sources.ts).
 */
export function fixtureCommand(
  script: string,
  args: readonly string[],
  nodeArgs: readonly string[] = [],
): string[] {
  return [process.execPath, ...nodeArgs, compiledPath(script), ...args];
}

/** Runs a TypeScript fixture from the repository root (`nodeArgs`: flags for Node itself). */
export function runTs(
  script: string,
  args: readonly string[],
  nodeArgs: readonly string[] = [],
): Promise<ChildResult> {
  const [node, ...rest] = fixtureCommand(script, args, nodeArgs) as [string, ...string[]];
  return finished(spawn(node, rest, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] }));
}
