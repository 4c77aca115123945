import { type ChildProcess, spawn } from "node:child_process";
import { ROOT } from "../setup/compiled-sources.js";
import { fixtureCommand } from "./run-child.js";

/** Starts a TypeScript fixture, for tests that signal or kill it. */
export function startTs(script: string, args: readonly string[]): ChildProcess {
  const [node, ...rest] = fixtureCommand(script, args) as [string, ...string[]];
  return spawn(node, rest, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
}

/** Resolves with the first line of stdout matching `pattern`. */
export function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      const line = buffered.split("\n").find((l) => pattern.test(l));
      if (line !== undefined) {
        child.stdout?.off("data", onData);
        resolve(line);
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code, signal) =>
      reject(new Error(`child ended (${code ?? signal}) before ${pattern}`)),
    );
  });
}

/** Resolves with how the child ended. */
export function waitForExit(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once("exit", (code, signal) => resolve({ code, signal }));
  });
}
