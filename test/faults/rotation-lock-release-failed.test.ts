// The release of the rotation lock fails (an I/O error; here the lock directory made immutable
// at that moment, which even root cannot change): its token file stays, naming a thread that
// still runs. Nothing holds that lock any more, yet every writer takes it for held "however
// long". Once the problem clears, rotation must resume, as the docs promise for a rotation that
// failed, not stop for as long as the process lives.
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { finished } from "../helpers/run-child.js";
import { startTs } from "../helpers/spawn-child.js";
import { untilStopped } from "../helpers/stopped-child.js";
import { tempDir } from "../helpers/temp-dir.js";

function chattr(flag: "+i" | "-i", path: string): boolean {
  try {
    execFileSync("chattr", [flag, path], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("a rotation lock that could not be released", () => {
  it("is taken again by its own process once the problem clears: rotation resumes", async (context) => {
    const directory = tempDir();
    const lock = join(directory, ".shared.rotate-lock");
    const child = startTs("test/fixtures/processes/rotation-stopped-at-rename.ts", [
      directory,
      "150",
    ]);
    const done = finished(child);
    let immutable = false;
    try {
      await untilStopped(child.pid as number);
      immutable = chattr("+i", lock);
      child.kill("SIGCONT");
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      if (immutable) chattr("-i", lock);
      child.kill("SIGCONT");
    }
    const result = await done;
    if (!immutable) return context.skip();
    expect(result.code, result.stderr).toBe(0);
    // About 2.5 s of writes after the problem cleared: a rotation every few events.
    expect(JSON.parse(result.stdout).rotated).toBeGreaterThan(3);
    expect(readdirSync(directory)).not.toContain(".shared.rotate-lock");
  });
});
