import { readFileSync } from "node:fs";

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
