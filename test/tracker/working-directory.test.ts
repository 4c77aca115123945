// A relative `directory` names the directory it names when the Tracker is created: a process
// that changes its working directory afterwards (a daemon moving to "/") must not scatter its
// events into a second tree that no export of the configured directory reads.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { channelLines } from "../helpers/rotated-files.js";
import { runTs } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("a relative directory, then a change of working directory", () => {
  it("keeps every event in the directory resolved at construction", async () => {
    const root = tempDir();
    const [start, moved] = [join(root, "app"), join(root, "elsewhere")];
    mkdirSync(start);
    mkdirSync(moved);
    const run = await runTs("test/fixtures/processes/change-directory.ts", [start, moved]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ recorded: 12, written: 12, dropped: 0 });
    const directory = join(start, "telemetry");
    const events = (channel: string) =>
      channelLines(directory, channel).map((line) => JSON.parse(line).event);
    expect(events("user")).toEqual([...Array(5).fill("before"), ...Array(5).fill("after")]);
    expect(events("other")).toEqual(["before", "after"]);
    expect(existsSync(join(moved, "telemetry"))).toBe(false);
  });
});
