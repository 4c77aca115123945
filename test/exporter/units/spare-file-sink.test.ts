import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sparePathFor } from "../../../src/exporter/sinks/keep-replaced.js";
import { SpareFileSink, type SpareMark } from "../../../src/exporter/sinks/spare-file-sink.js";
import { tempDir } from "../../helpers/temp-dir.js";

// The spare is brought up to date while the run reads and writes its own bytes after it. Its
// own bytes must never be committed over a spare that could not be brought up to date: that
// file would hold a hole (zeros) where the last run's events were.

/** A target holding `target` and a spare holding `spare`, marked as the state would mark it. */
function files(target: string | Buffer, spare: string, committed: number) {
  const dir = tempDir();
  const path = join(dir, "events.json");
  writeFileSync(path, target);
  writeFileSync(sparePathFor(path), spare);
  const s = statSync(sparePathFor(path), { bigint: true });
  const mark: SpareMark = {
    identity: {
      dev: s.dev.toString(),
      ino: s.ino.toString(),
      size: Number(s.size),
      mtime_ms: Number(s.mtimeMs),
    },
    committed_bytes: committed,
  };
  return { path, mark };
}

describe("SpareFileSink", () => {
  it("brings the spare up to the prefix, appends after it, and keeps the replaced file as the spare", async () => {
    const { path, mark } = files("[1,2,3", "[1,X", 2);
    const sink = await SpareFileSink.open(path, mark, 6);
    expect(sink).toBeDefined();
    await sink?.write(",4]");
    await sink?.commit();
    expect(readFileSync(path, "utf8")).toBe("[1,2,3,4]");
    expect(readFileSync(sparePathFor(path), "utf8")).toBe("[1,2,3");
    expect(sink?.keptSpare).toBe(true);
  });

  it("copies a delta larger than one step of the copy, every byte in its place", async () => {
    // 20 MiB and a few bytes: three steps of 8 MiB, the last one short.
    const size = 20 * 1024 * 1024 + 7;
    const bytes = Buffer.alloc(size);
    for (let k = 0; k < size; k += 4096) bytes.writeUInt32LE(k, k);
    const { path, mark } = files(bytes, "X", 0);
    const sink = await SpareFileSink.open(path, mark, size);
    await sink?.write("!");
    await sink?.commit();
    const written = readFileSync(path);
    expect(written.length).toBe(size + 1);
    expect(written.subarray(0, size).equals(bytes)).toBe(true);
    expect(written[size]).toBe(0x21);
  });

  it("fails the commit when the spare cannot be brought up to date, and keeps the target", async () => {
    // The target ends before the prefix the run continues: the copy fails part-way.
    const { path, mark } = files("[1,2", "[1,X", 2);
    const sink = await SpareFileSink.open(path, mark, 6);
    await sink?.write(",4]").catch(() => undefined);
    await expect(sink?.commit()).rejects.toThrow(/cannot write beside .*ends before byte 6/);
    expect(readFileSync(path, "utf8")).toBe("[1,2");
    expect(existsSync(sparePathFor(path))).toBe(false);
  });

  it("fails writes after the copy has failed, and abort removes the spare", async () => {
    const { path, mark } = files("[1,2", "[1,X", 2);
    const sink = await SpareFileSink.open(path, mark, 6);
    // Once the copy has ended, a write says why instead of writing on. It ends within
    // milliseconds, later on a loaded host (a fixed 50 ms wait failed there): waited for.
    const failed = () => (sink as unknown as { failure: unknown }).failure !== undefined;
    for (const deadline = Date.now() + 10_000; !failed() && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await expect(sink?.write(",4]")).rejects.toThrow(/cannot write beside/);
    await sink?.abort();
    expect(readFileSync(path, "utf8")).toBe("[1,2");
    expect(existsSync(sparePathFor(path))).toBe(false);
  });
});
