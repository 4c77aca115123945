import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { ColumnBuilder, type EventColumns } from "../../../src/exporter/engine/event-columns.js";
import type { EncoderRequest } from "../../../src/exporter/sinks/parquet/encoder-session.js";
import { EncoderThread } from "../../../src/exporter/sinks/parquet/encoder-thread.js";

// Blocks of `size` events each, numbered on from `from` (fresh memory each call: requests move it).
function columns(count: number, size: number): EventColumns[] {
  return Array.from({ length: count }, (_, b) => {
    const builder = new ColumnBuilder();
    for (let k = 0; k < size; k++) {
      const n = b * size + k;
      builder.add(
        "telemetry_event_v1",
        "user",
        `e${n % 7}`,
        n * 1000,
        JSON.stringify({ n, s: "é" }),
      );
    }
    return builder.done();
  });
}

// Row groups of 25 rows over 4 blocks of 10, then the footer; and two whole files.
async function encodeAll(thread: EncoderThread): Promise<Buffer[]> {
  try {
    const [a, b, c, d, e, f] = columns(6, 10) as EventColumns[];
    const replies = [a, b, c, d].map((block) =>
      thread.request({ kind: "rows", columns: block as EventColumns }),
    );
    replies.push(thread.request({ kind: "finish" }));
    replies.push(thread.request({ kind: "file", columns: e as EventColumns, omit: [] }));
    replies.push(thread.request({ kind: "file", columns: f as EventColumns, omit: ["channel"] }));
    return (await Promise.all(replies)).map((bytes) => Buffer.from(bytes));
  } finally {
    await thread.close();
  }
}

const refused = (): never => {
  const error = new Error("Worker initialization failure: EAGAIN") as NodeJS.ErrnoException;
  error.code = "ERR_WORKER_INIT_FAILED";
  throw error;
};

// A thread that ends before its code is loaded, as one out of memory while loading ends.
const endsAtOnce = () => new Worker("process.exit(3)", { eval: true });

describe("the Parquet encoder when its thread cannot start", () => {
  it("encodes in this thread, the same bytes in the same order, when the thread is refused or ends before it is loaded", async () => {
    const expected = await encodeAll(new EncoderThread("test 1.0", 25));
    expect(expected.map((b) => b.length > 0)).toEqual([
      false,
      false,
      true,
      false,
      true,
      true,
      true,
    ]);
    expect(await encodeAll(new EncoderThread("test 1.0", 25, refused))).toEqual(expected);
    expect(await encodeAll(new EncoderThread("test 1.0", 25, endsAtOnce))).toEqual(expected);
  });

  it("fails a refused request alone, in this thread as in the worker", async () => {
    const thread = new EncoderThread("test 1.0", 1000, refused);
    const [a] = columns(1, 10) as EventColumns[];
    const replies = [
      thread.request({ kind: "rows" } as unknown as EncoderRequest),
      thread.request({ kind: "file", columns: a as EventColumns, omit: [] }),
    ];
    const [bad, good] = await Promise.allSettled(replies);
    expect(String((bad as PromiseRejectedResult).reason)).toContain("Parquet encoding failed");
    expect(good?.status).toBe("fulfilled");
    await thread.close();
    await expect(thread.request({ kind: "finish" })).rejects.toThrow("Parquet encoder closed");
  });

  it("moves what a request carries, as a message to the thread would", async () => {
    const thread = new EncoderThread("test 1.0", 1000, refused);
    const [a] = columns(1, 10) as EventColumns[];
    const block = a as EventColumns;
    const buffer = block.payloadBytes.buffer as ArrayBuffer;
    const reply = thread.request({ kind: "file", columns: block, omit: [] }, [buffer]);
    expect(buffer.byteLength).toBe(0);
    expect((await reply).length).toBeGreaterThan(0);
    await thread.close();
  });

  it("fails a request that cannot be sent alone, with the thread or without it", async () => {
    for (const start of [undefined, refused]) {
      const thread = new EncoderThread("test 1.0", 1000, start);
      const [a, b] = columns(2, 10) as EventColumns[];
      // Answered first: the thread, when there is one, has started.
      await thread.request({ kind: "file", columns: a as EventColumns, omit: [] });
      const unsendable = { kind: "finish", hook: () => 0 } as unknown as EncoderRequest;
      await expect(thread.request(unsendable)).rejects.toThrow();
      const bytes = await thread.request({ kind: "file", columns: b as EventColumns, omit: [] });
      // The same bytes as for that block alone.
      const alone = new EncoderThread("test 1.0", 1000, refused);
      const [, same] = columns(2, 10) as EventColumns[];
      const expected = await alone.request({
        kind: "file",
        columns: same as EventColumns,
        omit: [],
      });
      expect(Buffer.from(bytes).equals(Buffer.from(expected))).toBe(true);
      await Promise.all([thread.close(), alone.close()]);
    }
  });

  it("fails a request that cannot be sent alone when it was asked before the thread was loaded", async () => {
    // Asked at once: the requests wait, held, until the thread says it is loaded.
    const thread = new EncoderThread("test 1.0", 1000);
    const [a, b] = columns(2, 10) as EventColumns[];
    const unsendable = { kind: "finish", hook: () => 0 } as unknown as EncoderRequest;
    const replies = [
      thread.request({ kind: "file", columns: a as EventColumns, omit: [] }),
      thread.request(unsendable),
      thread.request({ kind: "file", columns: b as EventColumns, omit: [] }),
    ];
    const [first, bad, last] = await Promise.allSettled(replies);
    expect(String((bad as PromiseRejectedResult).reason)).toContain("Parquet encoding failed");
    expect(first?.status).toBe("fulfilled");
    // Each reply is its own request's: the same bytes as for that block alone.
    const alone = new EncoderThread("test 1.0", 1000, refused);
    const [, same] = columns(2, 10) as EventColumns[];
    const expected = await alone.request({ kind: "file", columns: same as EventColumns, omit: [] });
    await alone.close();
    const got = (last as PromiseFulfilledResult<Uint8Array>).value;
    expect(Buffer.from(got).equals(Buffer.from(expected))).toBe(true);
    // The thread goes on: a request after them is answered too.
    const [, , c] = columns(3, 10) as EventColumns[];
    await expect(
      thread.request({ kind: "file", columns: c as EventColumns, omit: [] }),
    ).resolves.toBeInstanceOf(Uint8Array);
    await thread.close();
  });
});
