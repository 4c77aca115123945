import { spawnSync } from "node:child_process";
import { closeSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp-dir.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const bin = join(root, "bin/telemetry-exporter.cjs");

// The built CLI with its stdout on /dev/full: every write fails with ENOSPC, at once (a file's
// write is synchronous), as on a full disk. Unlike a closed pipe, that is a failure to report.
function toFullDevice(args: readonly string[]): { code: number | null; stderr: string } {
  const full = openSync("/dev/full", "w");
  try {
    const run = spawnSync(process.execPath, [bin, ...args], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", full, "pipe"],
    });
    return { code: run.status, stderr: run.stderr };
  } finally {
    closeSync(full);
  }
}

// One event to read, in a directory of the test's own.
function input(): string {
  const dir = tempDir();
  const line = {
    schema_version: "telemetry_event_v1",
    channel: "app",
    event: "opened",
    timestamp: "2025-03-01T10:00:00Z",
    payload: {},
  };
  writeFileSync(join(dir, "app.jsonl"), `${JSON.stringify(line)}\n`);
  return dir;
}

describe("stdout that cannot be written (/dev/full)", () => {
  it.each([
    ["summary", (dir: string) => ["summary", "-i", dir]],
    ["etl", (dir: string) => ["etl", "-i", dir, "--output-dir", join(tempDir(), "out")]],
    ["summary --help", () => ["summary", "--help"]],
    ["--help", () => ["--help"]],
    ["--version", () => ["--version"]],
  ])("%s: exit 1 and the reason on stderr, no stack trace", (_name, args) => {
    const run = toFullDevice(args(input()));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: writing standard output failed \(ENOSPC\)$/m);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it("export -o -: exit 1, the failed write named once, no stack trace", () => {
    const run = toFullDevice(["export", "-f", "jsonl", "-o", "-", "-i", input()]);
    expect(run.code).toBe(1);
    // docs/cli.md: "`export -o -`: `error: writing output failed (ENOSPC)`".
    expect(run.stderr).toBe("error: writing output failed (ENOSPC)\n");
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});
