import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AtomicDirectory, SUCCESS_MARKER } from "../../../src/exporter/sinks/atomic-directory.js";
import { tempDir } from "../../helpers/temp-dir.js";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("AtomicDirectory", () => {
  it("appears whole on commit, marked complete, with nothing left beside it", async () => {
    const parent = tempDir();
    const target = join(parent, "export");
    const directory = await AtomicDirectory.create(target);
    await directory.writeFile("a/part-0.parquet", bytes("A"));
    expect(existsSync(target)).toBe(false);
    await directory.commit();
    expect(readdirSync(target).sort()).toEqual([SUCCESS_MARKER, "a"]);
    expect(readFileSync(join(target, "a/part-0.parquet"), "utf8")).toBe("A");
    expect(readdirSync(parent)).toEqual(["export"]);
  });

  it("replaces a previous export, and leaves it as it was on abort", async () => {
    const target = join(tempDir(), "export");
    const first = await AtomicDirectory.create(target);
    await first.writeFile("old", bytes("1"));
    await first.commit();
    const aborted = await AtomicDirectory.create(target);
    await aborted.writeFile("new", bytes("2"));
    await aborted.abort();
    expect(readdirSync(target).sort()).toEqual([SUCCESS_MARKER, "old"]);
    const second = await AtomicDirectory.create(target);
    await second.writeFile("new", bytes("2"));
    await second.commit();
    expect(readdirSync(target).sort()).toEqual([SUCCESS_MARKER, "new"]);
  });

  it("carries kept files over as hard links", async () => {
    const target = join(tempDir(), "export");
    const first = await AtomicDirectory.create(target);
    await first.writeFile("keep/part-0", bytes("K"));
    await first.writeFile("drop", bytes("D"));
    await first.commit();
    const inode = statSync(join(target, "keep/part-0")).ino;
    const next = await AtomicDirectory.createFrom(
      target,
      (relative) => relative !== "drop" && relative !== SUCCESS_MARKER,
    );
    await next.commit();
    expect(readdirSync(target).sort()).toEqual([SUCCESS_MARKER, "keep"]);
    expect(statSync(join(target, "keep/part-0")).ino).toBe(inode);
  });

  it("refuses to replace a file, or a directory that is not an export", async () => {
    const parent = tempDir();
    writeFileSync(join(parent, "file"), "x");
    mkdirSync(join(parent, "dir"));
    writeFileSync(join(parent, "dir", "precious"), "x");
    await expect(AtomicDirectory.create(join(parent, "file"))).rejects.toMatchObject({
      code: "output_conflict",
    });
    await expect(AtomicDirectory.create(join(parent, "dir"))).rejects.toThrow(
      /not a partitioned export/,
    );
  });
});
