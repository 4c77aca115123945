// An etl run whose output directory's disk is full: the lock's directory can be made but its
// holder's file not written. The run must exit 1 saying which lock it could not create and
// why, not a bare "ENOSPC: no space left on device, write" naming no file, and leave nothing.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { eventLine } from "../helpers/event-lines.js";
import { runBin } from "../helpers/run-bin.js";
import { fillDisk, smallDisk, unmountSmallDisks } from "../helpers/small-disk.js";
import { tempDir } from "../helpers/temp-dir.js";

afterEach(unmountSmallDisks);

describe("the run lock on a full disk", () => {
  it("etl --incremental: exit 1 naming the lock and ENOSPC, nothing left beside the outputs", async (context) => {
    const disk = smallDisk();
    if (disk === undefined) return context.skip();
    const input = tempDir();
    writeFileSync(join(input, "app.jsonl"), `${eventLine()}\n`);
    const out = join(disk, "out");
    mkdirSync(out);
    const etl = () => runBin(["etl", "--incremental", "-i", input, "--output-dir", out, "-q"]);
    fillDisk(join(disk, "fill"));
    const run = await etl();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot create the lock .*\.etl\.lock \(ENOSPC\)/);
    expect(readdirSync(out)).toEqual([]);
    rmSync(join(disk, "fill"));
    const again = await etl();
    expect(again.code, again.stderr).toBe(0);
  });
});
