import { readFileSync } from "node:fs";
import { spawnWithHook } from "./run-bin.js";
import { type ChildResult, finished } from "./run-child.js";

/**
 * Resolves once the process `pid` is stopped (state T in /proc/PID/stat), as a preloaded hook
 * stops a run with SIGSTOP at a chosen point; throws after 20 s.
 */
export async function untilStopped(pid: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("T")) return;
    if (Date.now() > deadline) throw new Error("the child never stopped");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Runs the built CLI stopped where it plans (`plan`: every input listed and identified) or starts
 * reading (`read`: every file planned) by test/helpers/stop-in-phase.cjs; `meanwhile` is done
 * there, then it goes on. Resolves with its result.
 */
export async function runStoppedIn(
  phase: "plan" | "read",
  args: readonly string[],
  meanwhile: () => void,
): Promise<ChildResult> {
  const child = spawnWithHook("stop-in-phase.cjs", { STOP_IN: phase }, args);
  const done = finished(child);
  await untilStopped(child.pid as number);
  meanwhile();
  child.kill("SIGCONT");
  return done;
}
