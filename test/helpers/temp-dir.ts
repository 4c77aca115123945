import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const created: string[] = [];

/**
 * Removes the directories {@link tempDir} made. Called after every test by the setup file
 * (test/setup/temp-dirs.ts): a hook registered here would run for the first test file of a
 * process only, since test files share their processes and this module.
 */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A fresh temporary directory, removed after the current test. */
export function tempDir(prefix = "telemetry-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}
