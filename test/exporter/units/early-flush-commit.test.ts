import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import type * as FsPromises from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { EARLY_FLUSH_BYTES } from "../../../src/exporter/sinks/early-flush.js";
import { sparePathFor } from "../../../src/exporter/sinks/keep-replaced.js";
import { AtomicFileSink } from "../../../src/exporter/sinks/output-sink.js";
import { SpareFileSink } from "../../../src/exporter/sinks/spare-file-sink.js";
import { tempDir } from "../../helpers/temp-dir.js";

// Disks that fail a flush cannot be made here; the handle's datasync() is made to fail instead.
const fault = vi.hoisted(() => ({ datasync: undefined as string | undefined, calls: 0 }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof FsPromises>();
  const open: typeof real.open = async (...args) => {
    const handle = await real.open(...args);
    const datasync = handle.datasync.bind(handle);
    handle.datasync = () => {
      fault.calls++;
      if (fault.datasync === undefined) return datasync();
      return Promise.reject(Object.assign(new Error(fault.datasync), { code: fault.datasync }));
    };
    return handle;
  };
  return { ...real, open };
});

const chunk = Buffer.alloc(1024 * 1024, 0x61);

async function writeAll(sink: { write(b: Uint8Array): Promise<void> }, bytes: number) {
  for (let n = 0; n < bytes; n += chunk.length) await sink.write(chunk);
}

describe("early flushes of the files a run writes", () => {
  it("flushes a large file while it is written, and commits it whole", async () => {
    fault.datasync = undefined;
    fault.calls = 0;
    const target = join(tempDir(), "out.json");
    const sink = await AtomicFileSink.create(target);
    await writeAll(sink, EARLY_FLUSH_BYTES + chunk.length);
    await sink.commit();
    expect(fault.calls).toBeGreaterThan(0);
    expect(readFileSync(target).length).toBe(EARLY_FLUSH_BYTES + chunk.length);
  });

  it("fails the commit when an early flush failed, and keeps the previous output", async () => {
    fault.datasync = "EIO";
    const dir = tempDir();
    const target = join(dir, "out.json");
    writeFileSync(target, "previous");
    const sink = await AtomicFileSink.create(target);
    await writeAll(sink, EARLY_FLUSH_BYTES + chunk.length);
    await expect(sink.commit()).rejects.toMatchObject({
      code: "io_error",
      message: `cannot replace ${target} (EIO)`,
    });
    fault.datasync = undefined;
    expect(readFileSync(target, "utf8")).toBe("previous");
    expect(readdirSync(dir)).toEqual(["out.json"]);
  });

  it("fails the commit of an incremental run's events file (its spare) the same way", async () => {
    const dir = tempDir();
    const target = join(dir, "events.jsonl");
    writeFileSync(target, "committed\n");
    writeFileSync(sparePathFor(target), "committed\n");
    const s = statSync(sparePathFor(target), { bigint: true });
    const identity = {
      dev: s.dev.toString(),
      ino: s.ino.toString(),
      size: Number(s.size),
      mtime_ms: Number(s.mtimeMs),
    };
    fault.datasync = "EIO";
    const sink = await SpareFileSink.open(target, { identity, committed_bytes: 10 }, 10);
    if (sink === undefined) throw new Error("the spare was refused");
    await writeAll(sink, EARLY_FLUSH_BYTES + chunk.length);
    await expect(sink.commit()).rejects.toMatchObject({ code: "io_error" });
    fault.datasync = undefined;
    expect(readFileSync(target, "utf8")).toBe("committed\n");
  });
});
