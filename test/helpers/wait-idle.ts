import { readdirSync, readFileSync } from "node:fs";

// Fields of /proc/<pid>/task/<tid>/stat after the command name: state is the first, utime and
// stime the 12th and 13th.
function threads(pid: number): { sleeping: boolean; ticks: number } {
  let sleeping = true;
  let ticks = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] !== "S") sleeping = false;
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return { sleeping, ticks };
}

/**
 * Resolves once the process has every thread asleep and has used no CPU for `quietMs`: it has
 * started and now waits (on a timer, a pipe, a lock), instead of a fixed delay that is too long
 * on a quiet machine and too short on a busy one. Linux only (/proc).
 */
export async function waitUntilIdle(pid: number, quietMs = 300, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = threads(pid);
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = threads(pid);
    if (!now.sleeping || now.ticks !== last.ticks) quietSince = Date.now();
    else if (Date.now() - quietSince >= quietMs) return;
    last = now;
  }
  throw new Error(`process ${pid} did not settle within ${timeoutMs} ms`);
}
