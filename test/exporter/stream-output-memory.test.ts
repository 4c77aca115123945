import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { exportEvents } from "../../src/exporter/commands/export.js";
import { eventLine } from "../helpers/event-lines.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("an export to a stream the application passes (docs/api.md)", () => {
  it("writes Buffers whose memory may be shared; a copy of each is the text itself", async () => {
    const input = tempDir();
    const lines = Array.from({ length: 3000 }, (_, k) => eventLine({ payload: { k } }));
    writeFileSync(join(input, "events.jsonl"), `${lines.join("\n")}\n`);
    const chunks: Buffer[] = [];
    const output = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    });
    await exportEvents(
      { inputs: [input], output, format: "jsonl" },
      { workers: 2, segmentBytes: 32 * 1024 },
    );
    expect(chunks.every((chunk) => Buffer.isBuffer(chunk))).toBe(true);
    expect(chunks.some((chunk) => chunk.buffer instanceof SharedArrayBuffer)).toBe(true);
    const copies = chunks.map((chunk) => Buffer.from(chunk));
    expect(copies.every((copy) => copy.buffer instanceof ArrayBuffer)).toBe(true);
    expect(Buffer.concat(copies).toString()).toBe(`${lines.join("\n")}\n`);
  });
});
