// The stamp of a segment has four digits of year. A segment stamped in the last millisecond
// they can write (a file put there by hand, or a clock far ahead) pushes the next stamp past
// it: that rotation must still give a name of the contract (serials after the last stamp), not
// `+010000…`, which no reader orders, and which compression and retention never see again.
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { channelLines } from "../helpers/rotated-files.js";
import { runTs } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const CONTRACT = /^user(\.\d{8}T\d{9}Z(-[1-9]\d*)?)?\.jsonl(\.gz)?$/;

describe("a segment stamped 9999-12-31T23:59:59.999Z", () => {
  it("is followed by serials of that stamp, which retention counts and removes", async () => {
    const directory = tempDir();
    writeFileSync(join(directory, "user.99991231T235959999Z.jsonl"), "");
    const rotate = { size: 1, maxSegments: 2, graceMs: 0 };
    const args = [directory, JSON.stringify(rotate), "5", "3"];
    const result = await runTs("test/fixtures/processes/record-after-restart.ts", args);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ rotated: 4, removed: 3, errors: 0 });
    const names = readdirSync(directory).filter((name) => !name.startsWith("."));
    expect(names.filter((name) => !CONTRACT.test(name))).toEqual([]);
    expect(names.sort()).toEqual([
      "user.99991231T235959999Z-3.jsonl",
      "user.99991231T235959999Z-4.jsonl",
      "user.jsonl",
    ]);
    // In name order, the rotation order: the newest events last.
    expect(channelLines(directory, "user").map((line) => JSON.parse(line).payload.i)).toEqual([
      2, 3, 4,
    ]);
  });
});
