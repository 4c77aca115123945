import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it, vi } from "vitest";
import {
  aggregateEvents,
  type Diagnostic,
  exportEvents,
  runEtl,
} from "../../src/exporter/index.js";
import { EncoderThread } from "../../src/exporter/sinks/parquet/encoder-thread.js";
import { runCli } from "../helpers/cli.js";
import { eventLine, NOW } from "../helpers/event-lines.js";
import { recordSample } from "../helpers/sample-events.js";
import { tempDir } from "../helpers/temp-dir.js";

// Many small segments over files with valid lines, bad lines, blanks, a torn tail and a gzip file.
async function mixedInput(): Promise<string> {
  const dir = tempDir();
  await recordSample(dir, 600);
  const user = readFileSync(join(dir, "user.jsonl"), "utf8").split("\n");
  user.splice(
    50,
    0,
    "{bad json",
    "",
    '{"schema_version":"telemetry_event_v1","channel":"user","event":"e","timestamp":"2025-03-01T10:00:00","payload":{}}',
  );
  user.splice(120, 0, '{"schema_version":"nope"}');
  writeFileSync(join(dir, "user.jsonl"), `${user.join("\n")}{"torn":`);
  writeFileSync(join(dir, "zipped.jsonl.gz"), gzipSync(readFileSync(join(dir, "system.jsonl"))));
  return dir;
}

const PARALLEL = { workers: 2, segmentBytes: 4096 };
const SEQUENTIAL = { workers: 0 };

describe("worker threads give the same results as one thread", () => {
  it("aggregate report and diagnostics (in order, with absolute line numbers)", async () => {
    const input = await mixedInput();
    const seen = { sequential: [] as Diagnostic[], parallel: [] as Diagnostic[] };
    const a = await aggregateEvents(
      {
        inputs: [input],
        now: NOW,
        onDiagnostic: (d) => seen.sequential.push(d),
      },
      SEQUENTIAL,
    );
    const b = await aggregateEvents(
      {
        inputs: [input],
        now: NOW,
        onDiagnostic: (d) => seen.parallel.push(d),
      },
      PARALLEL,
    );
    expect(b.report).toEqual(a.report);
    expect(seen.parallel).toEqual(seen.sequential);
    expect(seen.sequential.map((d) => [d.line, d.code])).toEqual([
      [51, "invalid_json"],
      [53, "timestamp_without_zone"],
      [121, "unsupported_schema_version"],
      [207, "truncated_line"],
    ]);
  });

  it.each(["json", "jsonl", "parquet"] as const)("%s export is byte-identical", async (format) => {
    const input = await mixedInput();
    const out = tempDir();
    await exportEvents(
      {
        inputs: [input],
        format,
        output: join(out, "a"),
        rowGroupSize: 50,
      },
      SEQUENTIAL,
    );
    await exportEvents(
      {
        inputs: [input],
        format,
        output: join(out, "b"),
        rowGroupSize: 50,
      },
      PARALLEL,
    );
    expect(readFileSync(join(out, "b")).equals(readFileSync(join(out, "a")))).toBe(true);
  });

  it("parquet: the encoder hands finished blocks' memory back to the readers, and the file is still byte-identical", async () => {
    // Segments of 128 KiB: their payload buffers are large enough to be sent back and refilled.
    const dir = tempDir();
    const lines = Array.from({ length: 12_000 }, (_, k) =>
      eventLine({
        channel: k % 3 === 0 ? "system" : "user",
        event: `e${k % 17}`,
        timestamp: new Date(Date.UTC(2025, 2, 1) + k * 1000),
        payload: { k, text: `${"x".repeat(k % 300)}é`, list: [k, k / 7] },
      }),
    );
    writeFileSync(join(dir, "events.jsonl"), `${lines.join("\n")}\n`);
    const out = tempDir();
    const read = { inputs: [dir], format: "parquet" as const, rowGroupSize: 1000 };
    await exportEvents({ ...read, output: join(out, "a") }, SEQUENTIAL);
    const spy = vi.spyOn(EncoderThread.prototype, "takeSpent");
    try {
      await exportEvents(
        { ...read, output: join(out, "b") },
        { workers: 2, segmentBytes: 128 * 1024 },
      );
      const returned = spy.mock.results.flatMap((r) => r.value as ArrayBuffer[]);
      expect(returned.length).toBeGreaterThan(5);
    } finally {
      spy.mockRestore();
    }
    expect(readFileSync(join(out, "b")).equals(readFileSync(join(out, "a")))).toBe(true);
  });

  it("a stream output keeps its bytes while segment memory is reused for later segments", async () => {
    const input = await mixedInput();
    const file = join(tempDir(), "a.jsonl");
    await exportEvents({ inputs: [input], format: "jsonl", output: file }, SEQUENTIAL);
    for (const threads of [SEQUENTIAL, PARALLEL]) {
      const stream = new PassThrough();
      const chunks: Buffer[] = [];
      // Kept as given, not copied: reusing a written buffer would change what is held here.
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      await exportEvents({ inputs: [input], format: "jsonl", output: stream }, threads);
      expect(Buffer.concat(chunks).equals(readFileSync(file))).toBe(true);
    }
  });

  it("etl in parallel equals etl in one thread", async () => {
    const input = await mixedInput();
    const a = await runEtl({ inputs: [input], outputDir: tempDir(), now: NOW }, SEQUENTIAL);
    const b = await runEtl({ inputs: [input], outputDir: tempDir(), now: NOW }, PARALLEL);
    expect(readFileSync(b.eventsPath, "utf8")).toBe(readFileSync(a.eventsPath, "utf8"));
    expect(b.report).toEqual(a.report);
  });

  it("--strict stops at the first invalid line in input order", async () => {
    const input = await mixedInput();
    await expect(
      exportEvents(
        {
          inputs: [input],
          output: join(tempDir(), "x.json"),
          strict: true,
        },
        PARALLEL,
      ),
    ).rejects.toThrow(/user\.jsonl:51: invalid_json/);
  });

  it("the CLI takes --workers", async () => {
    const input = await mixedInput();
    const out = tempDir();
    const one = await runCli([
      "export",
      "-i",
      input,
      "-o",
      join(out, "1.json"),
      "--workers",
      "0",
      "-q",
    ]);
    const two = await runCli([
      "export",
      "-i",
      input,
      "-o",
      join(out, "2.json"),
      "--workers",
      "2",
      "-q",
    ]);
    expect([one.code, two.code]).toEqual([0, 0]);
    expect(readFileSync(join(out, "2.json"), "utf8")).toBe(
      readFileSync(join(out, "1.json"), "utf8"),
    );
  });

  it("handles lines of several MiB in worker threads (heap sized from --max-line-bytes)", async () => {
    const input = tempDir();
    const timestamp = "2025-03-01T00:00:00.000Z";
    const wide = Object.fromEntries(
      Array.from({ length: 100_000 }, (_, i) => [`key${i}`, { v: i, s: "x".repeat(20) }]),
    );
    const lines = [
      eventLine({ timestamp, payload: wide }),
      eventLine({ timestamp, payload: { s: "y".repeat(6 * 1024 * 1024) } }),
    ];
    writeFileSync(join(input, "big.jsonl"), `${lines.join("\n")}\n`);
    const a = await aggregateEvents(
      {
        inputs: [input],
        now: NOW,
        maxLineBytes: 8 * 1024 * 1024,
      },
      { workers: 2, segmentBytes: 1024 },
    );
    expect(a.report.totals).toMatchObject({ valid: 2, invalid: 0 });
  });
});
