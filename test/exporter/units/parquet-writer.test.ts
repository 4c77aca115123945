import { parquetReadObjects } from "hyparquet";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ColumnBuilder, type EventColumns } from "../../../src/exporter/engine/event-columns.js";
import type { SegmentResult } from "../../../src/exporter/engine/segment.js";
import type { OutputSink } from "../../../src/exporter/sinks/output-sink.js";
import type { EncoderRequest } from "../../../src/exporter/sinks/parquet/encoder-session.js";
import { EncoderThread } from "../../../src/exporter/sinks/parquet/encoder-thread.js";
import { createParquetWriter } from "../../../src/exporter/sinks/parquet/parquet-writer.js";

/** Blocks of `size` rows whose payloads number the rows from 0 in order. */
function blocks(count: number, size: number): EventColumns[] {
  return Array.from({ length: count }, (_, b) => {
    const builder = new ColumnBuilder();
    for (let k = 0; k < size; k++) {
      const n = b * size + k;
      builder.add("telemetry_event_v1", "user", `e${n % 7}`, n * 1000, JSON.stringify({ n }));
    }
    return builder.done();
  });
}

const result = (columns: EventColumns) => ({ columns }) as unknown as SegmentResult;

/** The row numbers in the payloads of the Parquet file written as `writes`, in file order. */
async function numbers(writes: readonly Uint8Array[]): Promise<number[]> {
  const file = Buffer.concat(writes);
  const rows = await parquetReadObjects({
    file: file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer,
    columns: ["payload"],
    parsers: { jsonFromBytes: (bytes: Uint8Array) => Buffer.from(bytes).toString() },
  });
  return rows.map((row) => JSON.parse(row.payload as string).n);
}

/**
 * A sink in memory; `failOn`: the write (counted from 1) that fails, the others succeed. With
 * `releasesWrites` false it keeps the written buffers themselves, as a stream may, so any later
 * change to their memory shows in the result.
 */
function memorySink(failOn = 0, releasesWrites = true) {
  const writes: Uint8Array[] = [];
  let committed = false;
  const sink: OutputSink = {
    releasesWrites,
    async write(data) {
      if (writes.length + 1 === failOn) {
        failOn = 0;
        throw new Error("EIO: the disk failed this one write");
      }
      if (typeof data === "string") writes.push(Buffer.from(data));
      else writes.push(releasesWrites ? Buffer.from(data) : data);
    },
    async commit() {
      committed = true;
    },
    async abort() {},
  };
  return { sink, writes, committed: () => committed };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the Parquet writer", () => {
  it("keeps reading while the encoder works: several segments are sent before the first answer, and rows stay in order", async () => {
    let inFlight = 0;
    let most = 0;
    const request = EncoderThread.prototype.request;
    vi.spyOn(EncoderThread.prototype, "request").mockImplementation(function (
      this: EncoderThread,
      ...args
    ) {
      inFlight++;
      most = Math.max(most, inFlight);
      return request.apply(this, args).finally(() => inFlight--);
    });
    const { sink, writes, committed } = memorySink();
    const writer = await createParquetWriter(sink, 250);
    for (const block of blocks(40, 100)) await writer.accept(result(block));
    await writer.finish();
    expect(committed()).toBe(true);
    expect(most).toBeGreaterThan(5);
    expect(await numbers(writes)).toEqual(Array.from({ length: 4000 }, (_, n) => n));
  });

  it.each([
    [true, "hands the written bytes' memory back to the encoder"],
    [false, "keeps the bytes a stream may still hold"],
  ])("with a sink that releases its writes: %s, it %s", async (releases) => {
    const returned: number[] = [];
    const request = EncoderThread.prototype.request;
    vi.spyOn(EncoderThread.prototype, "request").mockImplementation(function (
      this: EncoderThread,
      message,
      transfer,
    ) {
      returned.push((message as { returned?: ArrayBuffer[] }).returned?.length ?? 0);
      return request.call(this, message, transfer);
    });
    const { sink, writes } = memorySink(0, releases);
    const writer = await createParquetWriter(sink, 100);
    // One segment at a time, each answered and written before the next is sent.
    for (const [k, block] of blocks(30, 100).entries()) {
      await writer.accept(result(block));
      await vi.waitFor(() => expect(writes.length).toBe(k + 1), { timeout: 10_000 });
    }
    await writer.finish();
    const sum = returned.reduce((a, b) => a + b, 0);
    if (releases) expect(sum).toBeGreaterThan(10);
    else expect(sum).toBe(0);
    expect(await numbers(writes)).toEqual(Array.from({ length: 3000 }, (_, n) => n));
  });

  it("a write that fails while later segments are in flight fails the export, which is never committed", async () => {
    const { sink, committed } = memorySink(2);
    const writer = await createParquetWriter(sink, 100);
    const run = (async () => {
      for (const block of blocks(30, 100)) await writer.accept(result(block));
      await writer.finish();
    })();
    await expect(run).rejects.toThrow("EIO: the disk failed this one write");
    await writer.abort();
    expect(committed()).toBe(false);
  });
});

describe("the encoder thread", () => {
  it("answers overlapping requests in order, a refused one alone failing", async () => {
    const thread = new EncoderThread("test 1.0", 1000);
    try {
      const [a, b] = blocks(2, 10) as [EventColumns, EventColumns];
      const replies = [
        thread.request({ kind: "file", columns: a, omit: [] }),
        // No columns: the worker refuses it.
        thread.request({ kind: "rows" } as unknown as EncoderRequest),
        thread.request({ kind: "file", columns: b, omit: ["channel"] }),
      ];
      const [first, refused, third] = await Promise.allSettled(replies);
      expect(refused).toMatchObject({ status: "rejected" });
      expect(String((refused as PromiseRejectedResult).reason)).toContain(
        "Parquet encoding failed",
      );
      const payloads = async (settled: PromiseSettledResult<Uint8Array> | undefined) => {
        const bytes = (settled as PromiseFulfilledResult<Uint8Array>).value;
        const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
        const rows = await parquetReadObjects({ file: file as ArrayBuffer, columns: ["payload"] });
        return rows.map((row) => (row.payload as { n: number }).n);
      };
      expect(await payloads(first)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(await payloads(third)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    } finally {
      await thread.close();
    }
  });

  it("fails every unanswered request, and every later one, when its worker ends after it started", async () => {
    const thread = new EncoderThread("test 1.0", 1000);
    const [first, a] = blocks(2, 10) as [EventColumns, EventColumns];
    const [large] = blocks(1, 100_000) as [EventColumns];
    // Answered: the thread has started, and a thread ending now takes requests with it.
    await thread.request({ kind: "file", columns: first, omit: [] });
    // The large file keeps the thread busy while it is ended: neither request is answered.
    const replies = [
      thread.request({ kind: "file", columns: large, omit: [] }),
      thread.request({ kind: "rows", columns: a }),
    ];
    // Ended from outside, as the system would end it: no error event, only an exit.
    await (thread as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    for (const settled of await Promise.allSettled(replies)) {
      expect(String((settled as PromiseRejectedResult).reason)).toMatch(
        /Parquet encoder exited with code \d/,
      );
    }
    await expect(thread.request({ kind: "finish" })).rejects.toThrow(/exited with code \d/);
    await thread.close();
  });
});
