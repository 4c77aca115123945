// Something that is not a file under a compressed segment's name (a directory made by hand,
// say) cannot be deleted with unlink(2). Retention must pass it by, as it passes by a plain
// segment name that is not a file, not abort every pass on it: it is the oldest, so each pass
// would stop there and no segment would ever be compressed or deleted again. Nor may a directory
// under the .gz name of a plain segment keep every later segment from being compressed.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatStamp } from "../../src/tracker/segment-names.js";
import { runTs } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const line = (i: number) =>
  `${JSON.stringify({ schema_version: 1, channel: "user", event: "old", timestamp: "2025-03-01T00:00:00.000Z", payload: { i } })}\n`;

describe("a directory under the oldest compressed segment's name", () => {
  it("is left alone, and retention and compression go on with the rest", async () => {
    const directory = tempDir();
    mkdirSync(join(directory, `user.${formatStamp(Date.UTC(2025, 0, 1))}.jsonl.gz`));
    const names = [1, 2, 3].map((day) => `user.${formatStamp(Date.UTC(2025, 0, 1 + day))}.jsonl`);
    for (const [i, name] of names.entries()) writeFileSync(join(directory, name), line(i));
    const rotate = { size: 1 << 20, maxSegments: 2, compress: true, graceMs: 0 };
    const args = [directory, JSON.stringify(rotate), "1", "1"];
    const result = await runTs("test/fixtures/processes/record-after-restart.ts", args);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ removed: 1, errors: 0 });
    expect(existsSync(join(directory, names[0] as string))).toBe(false);
  });

  it("beside a plain segment: that one is reported, and the later ones are compressed", async () => {
    const directory = tempDir();
    const names = [1, 2].map((day) => `user.${formatStamp(Date.UTC(2025, 0, day))}.jsonl`);
    for (const [i, name] of names.entries()) writeFileSync(join(directory, name), line(i));
    mkdirSync(join(directory, `${names[0]}.gz`));
    const args = [directory, "0", "1000"];
    const result = await runTs("test/fixtures/processes/maintain-for-a-while.ts", args);
    expect(result.code, result.stderr).toBe(0);
    // Reported (the default onError: a process warning), not thrown.
    expect(result.stderr).toContain("not compressed (EISDIR)");
    expect(existsSync(join(directory, `${names[1]}.gz`))).toBe(true);
    expect(existsSync(join(directory, names[0] as string))).toBe(true);
  });

  it("beside a plain segment retention deletes: that one is reported, the later ones deleted", async () => {
    const directory = tempDir();
    const names = [1, 2, 3].map((day) => `user.${formatStamp(Date.UTC(2025, 0, day))}.jsonl`);
    for (const [i, name] of names.entries()) writeFileSync(join(directory, name), line(i));
    mkdirSync(join(directory, `${names[0]}.gz`));
    const rotate = { size: 1 << 20, maxSegments: 1, graceMs: 0 };
    const args = [directory, JSON.stringify(rotate), "1", "1"];
    const result = await runTs("test/fixtures/processes/record-after-restart.ts", args);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("not removed (EISDIR)");
    expect(existsSync(join(directory, names[1] as string))).toBe(false);
    expect(existsSync(join(directory, names[2] as string))).toBe(true);
  });
});
