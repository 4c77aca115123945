// A full disk lets a lock file be created but not written. Such a file must not be left behind:
// empty, it reads as a holder that has not written its pid yet, and every process on the
// channel would wait 30 s to rotate, compress or delete segments, the only way space comes back.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { eventLine } from "../helpers/event-lines.js";
import { channelFiles, channelLines } from "../helpers/rotated-files.js";
import { runTs } from "../helpers/run-child.js";
import { fillDisk, smallDisk, unmountSmallDisks } from "../helpers/small-disk.js";

afterEach(unmountSmallDisks);

const ROTATE = JSON.stringify({ size: 4096, compress: true, graceMs: 0 });

interface Outcome {
  readonly written: number;
  readonly dropped: number;
  readonly errors: readonly string[];
}

async function app(directory: string, compressed: number): Promise<Outcome> {
  const args = [directory, ROTATE, String(compressed)];
  const run = await runTs("test/fixtures/processes/record-then-maintain.ts", args);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

function locks(directory: string): string[] {
  return readdirSync(directory).filter((f) => f.includes("-lock"));
}

describe("lock files on a full disk", () => {
  it("are removed when their pid cannot be written, so the next process rotates and compresses at once", async (context) => {
    const disk = smallDisk();
    if (disk === undefined) {
      context.skip("mounting a tmpfs is not allowed here");
      return;
    }
    const directory = join(disk, "telemetry");
    mkdirSync(directory);
    // An earlier run's live file, over the rotation size.
    const old = Array.from({ length: 60 }, (_, i) =>
      eventLine({ channel: "user", event: "old", payload: { i, pad: "p".repeat(60) } }),
    );
    writeFileSync(join(directory, "user.jsonl"), `${old.join("\n")}\n`);
    fillDisk(join(disk, "filler"));

    // A process on the full disk: its rotation fails to take the lock.
    const full = await app(directory, 0);
    // (The event itself may fit in the live file's last, partly used page.)
    expect(full).toMatchObject({ recorded: 1, rotated: 0 });
    expect(full.written + full.dropped).toBe(1);
    expect(full.errors.join("\n")).toMatch(/no rotation lock \(ENOSPC\)/);
    expect(locks(directory)).toEqual([]);

    // Space comes back: the next process rotates at its first write and compresses the segment.
    rmSync(join(disk, "filler"));
    const next = await app(directory, 1);
    expect(next).toMatchObject({ recorded: 1, written: 1, dropped: 0, rotated: 1, compressed: 1 });
    expect(next.errors).toEqual([]);
    const files = channelFiles(directory, "user");
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/\.jsonl\.gz$/);
    expect(locks(directory)).toEqual([]);
    expect(channelLines(directory, "user")).toHaveLength(60 + full.written + 1);
  });
});
