// A writer that checked the live file just before another process renamed it still appends to
// the new segment: compression and retention wait until a segment has been quiet for graceMs.
// Quiet must count from the rotation, not from the live file's last write: a channel written
// rarely is renamed with a modification time long past, and a compression right after the
// rename would unlink the inode the late writer is about to append to.
import { spawn } from "node:child_process";
import { utimesSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { channelLines } from "../helpers/rotated-files.js";
import { finished, fixtureCommand, runTs } from "../helpers/run-child.js";
import { waitForLine } from "../helpers/spawn-child.js";
import { untilStopped } from "../helpers/stopped-child.js";
import { tempDir } from "../helpers/temp-dir.js";
import { ROOT } from "../setup/compiled-sources.js";

describe("a late writer of another process", () => {
  it("keeps its event when the live file it checked is rotated and compressed before its write", async () => {
    const directory = tempDir();
    const [node, ...args] = fixtureCommand("test/fixtures/processes/stalled-writer.ts", [
      directory,
      "3000",
    ]) as [string, ...string[]];
    const stalled = spawn(node, args, { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
    const done = finished(stalled);
    try {
      await waitForLine(stalled, /^ready$/);
      // Last written an hour ago: a channel that sees an event now and then.
      const hourAgo = new Date(Date.now() - 3_600_000);
      utimesSync(join(directory, "shared.jsonl"), hourAgo, hourAgo);
      stalled.stdin?.write("go\n");
      await untilStopped(stalled.pid as number);
      // Another instance rotates the file, then runs maintenance for far less than graceMs.
      const rotator = await runTs("test/fixtures/processes/rotate-once.ts", [
        directory,
        "3000",
        "800",
      ]);
      expect(rotator.code, rotator.stderr).toBe(0);
      expect(JSON.parse(rotator.stdout)).toMatchObject({ rotated: 1 });
    } finally {
      stalled.kill("SIGCONT");
    }
    const result = await done;
    expect(result.code, result.stderr).toBe(0);
    const seen = channelLines(directory, "shared").map((line) => {
      const { writer, seq } = JSON.parse(line).payload as { writer: string; seq: number };
      return `${writer}:${seq}`;
    });
    expect(seen.sort()).toEqual(["rotator:0", "stalled:0", "stalled:1"]);
  });
});
