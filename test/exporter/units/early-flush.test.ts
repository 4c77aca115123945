import type { FileHandle } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { EarlyFlush } from "../../../src/exporter/sinks/early-flush.js";

/** A handle whose datasync() calls are counted and settled by the test. */
function fakeHandle() {
  const calls: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const handle = {
    datasync: () =>
      new Promise<void>((resolve, reject) => {
        calls.push({ resolve, reject });
      }),
  } as unknown as FileHandle;
  return { handle, calls };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("EarlyFlush (flushing a file while it is written)", () => {
  it("starts a flush each time enough bytes were written, one at a time", async () => {
    const { handle, calls } = fakeHandle();
    const flush = new EarlyFlush(handle, 100);
    flush.wrote(60);
    expect(calls).toHaveLength(0);
    flush.wrote(60);
    expect(calls).toHaveLength(1);
    // One is running: more bytes wait for it rather than start a second.
    flush.wrote(500);
    expect(calls).toHaveLength(1);
    calls[0]?.resolve();
    await tick();
    flush.wrote(100);
    expect(calls).toHaveLength(2);
    calls[1]?.resolve();
    await flush.settle();
  });

  it("makes settle() wait for the flush in flight", async () => {
    const { handle, calls } = fakeHandle();
    const flush = new EarlyFlush(handle, 10);
    flush.wrote(10);
    let settled = false;
    const settling = flush.settle().then(() => {
      settled = true;
    });
    await tick();
    expect(settled).toBe(false);
    calls[0]?.resolve();
    await settling;
    expect(settled).toBe(true);
  });

  it("keeps the first failure for settle(), even after later flushes succeed", async () => {
    // Linux reports a write-back error once: the commit's own fsync could then succeed.
    const { handle, calls } = fakeHandle();
    const flush = new EarlyFlush(handle, 10);
    flush.wrote(10);
    calls[0]?.reject(Object.assign(new Error("EIO"), { code: "EIO" }));
    await tick();
    flush.wrote(10);
    calls[1]?.reject(new Error("second"));
    await tick();
    flush.wrote(10);
    calls[2]?.resolve();
    await expect(flush.settle()).rejects.toMatchObject({ code: "EIO" });
  });

  it("never starts a flush for a file smaller than the step", async () => {
    const { handle, calls } = fakeHandle();
    const flush = new EarlyFlush(handle);
    flush.wrote(16 * 1024 * 1024 - 1);
    expect(calls).toHaveLength(0);
    await flush.settle();
  });
});
