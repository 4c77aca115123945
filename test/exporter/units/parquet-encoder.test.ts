import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { describe, expect, it } from "vitest";
import { ColumnBuilder, type EventColumns } from "../../../src/exporter/engine/event-columns.js";
import { ColumnQueue } from "../../../src/exporter/sinks/parquet/column-queue.js";
import { ParquetEncoder } from "../../../src/exporter/sinks/parquet/parquet-encoder.js";
import { duckdbRows } from "../../helpers/duckdb.js";
import { tempDir } from "../../helpers/temp-dir.js";

interface Row {
  version: string;
  channel: string;
  event: string;
  micros: bigint;
  payload: string;
  extra: string | null;
}

/**
 * Rows that reach every branch of the encoder: hundreds of event names (bit widths past 8, RLE
 * runs and bit-packed groups mixed), timestamps before 1970 and far after, payloads from two
 * bytes to past a page (1 MiB), non-ASCII text, extra fields null and not across page cuts.
 */
function rows(n: number): Row[] {
  let state = 7;
  const next = (m: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state % m;
  };
  return Array.from({ length: n }, (_, k) => {
    const long = k % 997 === 5 ? "x".repeat(1_200_000) : "";
    const run = Math.floor(k / 40) % 3 === 0; // stretches of one event name: RLE runs
    return {
      version: "telemetry_event_v1",
      channel: ["user", "system", "billing"][Math.floor(k / 500) % 3] as string,
      event: run ? "page.viewed" : `event.${next(300)}`,
      micros: BigInt(next(2 ** 31) - 2 ** 30) * 1_000_003n + (k === 17 ? -(2n ** 62n) : 0n),
      payload:
        k % 11 === 0
          ? "{}"
          : JSON.stringify({ k, text: 'né 😀 "q"', long, pad: "y".repeat(next(3000)) }),
      extra: k % 5 === 0 ? JSON.stringify({ tag: `t${k}`, n: k }) : null,
    };
  });
}

/** Rows as blocks of columns, each block with a dictionary of its own. */
function blocks(all: readonly Row[], size: number): EventColumns[] {
  const out: EventColumns[] = [];
  for (let at = 0; at < all.length; at += size) {
    const builder = new ColumnBuilder();
    for (const row of all.slice(at, at + size))
      builder.add(
        row.version,
        row.channel,
        row.event,
        row.micros,
        row.payload,
        row.extra ?? undefined,
      );
    out.push(builder.done());
  }
  return out;
}

/** Encodes blocks into one file of row groups of `groupRows` (groups cut across blocks). */
function encodeFile(input: EventColumns[], groupRows: number, omit: string[] = []): Uint8Array {
  const encoder = new ParquetEncoder("test-generator 1.0", omit);
  const queue = new ColumnQueue();
  const parts: Uint8Array[] = [];
  for (const block of input) {
    queue.push(block);
    while (queue.size >= groupRows) parts.push(encoder.encodeGroup(queue.takeSlices(groupRows)));
  }
  if (queue.size > 0) parts.push(encoder.encodeGroup(queue.takeSlices(queue.size)));
  parts.push(encoder.finish());
  return Buffer.concat(parts);
}

// Values as written: timestamps as INT64 microseconds, JSON as its bytes (never parsed).
const parsers = {
  timestampFromMicroseconds: (us: bigint) => us,
  jsonFromBytes: (bytes: Uint8Array) => Buffer.from(bytes).toString(),
};
const arrayBuffer = (bytes: Uint8Array) =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

describe("ColumnBuilder", () => {
  it("stores a timestamp given as a number exactly as the same BigInt (both signs, past 2^32, to 2^53)", () => {
    const values = [
      0,
      1,
      -1,
      2 ** 32 - 1,
      2 ** 32,
      -(2 ** 32),
      -(2 ** 32) - 1,
      1_735_689_600_123_456,
    ];
    values.push(-2_208_988_800_000_001, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER);
    const asNumbers = new ColumnBuilder();
    const asBigInts = new ColumnBuilder();
    // Past the first capacity (1024 rows), so the arrays grow under both forms.
    for (let k = 0; k < 3000; k++) {
      const value = (values[k % values.length] as number) + (k % 7) * (k % 2 ? -1 : 1);
      asNumbers.add("v", "c", "e", value, "{}");
      asBigInts.add("v", "c", "e", BigInt(value), "{}");
    }
    expect(asNumbers.done().micros).toEqual(asBigInts.done().micros);
  });
});

describe("ColumnBuilder memory", () => {
  it("fills a spare buffer (an encoded block's) when it is large enough, from its start", () => {
    const spare = new ArrayBuffer(64 * 1024);
    new Uint8Array(spare).fill(0x7b); // what an earlier block left there
    const built = new ColumnBuilder(60_000, spare);
    built.add("v", "c", "e", 1, '{"a":1}');
    built.add("v", "c", "e", 2, "{}");
    const block = built.done();
    expect(block.payloadBytes.buffer).toBe(spare);
    expect(Buffer.from(block.payloadBytes).toString()).toBe('{"a":1}{}');
    expect([...block.payloadOffsets]).toEqual([0, 7, 9]);
    // Too small for the segment: a buffer of its own.
    expect(new ColumnBuilder(100_000, spare).done().payloadBytes.buffer).not.toBe(spare);
  });
});

describe("ParquetEncoder", () => {
  const all = rows(2600);
  const file = encodeFile(blocks(all, 1300), 1000);
  // Temporary directories last one test: each test that reads a path writes its own.
  const written = () => {
    const path = join(tempDir(), "events.parquet");
    writeFileSync(path, file);
    return path;
  };

  it("writes every row as it was, read back by DuckDB (timestamps to the microsecond)", async () => {
    const path = written();
    const read = await duckdbRows(
      `SELECT schema_version, channel, event, epoch_us(timestamp)::VARCHAR AS us, payload::VARCHAR AS payload, extra::VARCHAR AS extra FROM read_parquet('${path}', file_row_number = true) ORDER BY file_row_number`,
    );
    expect(read.length).toBe(all.length);
    read.forEach((row, k) => {
      const want = all[k] as Row;
      expect(row).toEqual({
        schema_version: want.version,
        channel: want.channel,
        event: want.event,
        us: String(want.micros),
        payload: want.payload,
        extra: want.extra,
      });
    });
  });

  it("is read identically by hyparquet, with a footer that says what the pages are", async () => {
    const buffer = arrayBuffer(file);
    const read = (await parquetReadObjects({
      file: buffer,
      utf8: true,
      parsers: parsers as never,
    })) as Record<string, unknown>[];
    expect(read.length).toBe(all.length);
    read.forEach((row, k) => {
      const want = all[k] as Row;
      expect(row).toEqual({
        schema_version: want.version,
        channel: want.channel,
        event: want.event,
        timestamp: want.micros,
        payload: want.payload,
        extra: want.extra,
      });
    });
    const meta = parquetMetadata(buffer);
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([1000, 1000, 600]);
    expect(meta.created_by).toBe("test-generator 1.0");
    const payload = meta.row_groups[0]?.columns[4];
    // Payloads of about 2 MB a group are cut into pages, and listed in an offset index.
    expect(payload?.meta_data?.path_in_schema).toEqual(["payload"]);
    expect(payload?.offset_index_length).toBeGreaterThan(0);
  });

  it("writes statistics that DuckDB can trust to skip row groups (min and max of each group)", async () => {
    const meta = parquetMetadata(arrayBuffer(file), { parsers: parsers as never });
    meta.row_groups.forEach((group, g) => {
      const slice = all.slice(g * 1000, g * 1000 + 1000);
      const stamps = slice.map((r) => r.micros);
      const stats = group.columns[3]?.meta_data?.statistics;
      const sorted = [...stamps].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const [lowest, highest] = [sorted[0], sorted.at(-1)];
      expect(stats?.min_value).toBe(lowest);
      expect(stats?.max_value).toBe(highest);
      const events = slice.map((r) => Buffer.from(r.event)).sort(Buffer.compare);
      const eventStats = group.columns[2]?.meta_data?.statistics;
      expect(eventStats?.min_value).toBe(events[0]?.toString());
      expect(eventStats?.max_value).toBe(events.at(-1)?.toString());
    });
    const path = written();
    // Filters DuckDB answers from the statistics where it can: the counts must be exact.
    const cut = (all[1234] as Row).micros;
    const [counted] = await duckdbRows(
      `SELECT count(*) FILTER (WHERE epoch_us(timestamp) <= ${cut})::INTEGER AS before,
              count(*) FILTER (WHERE event = 'event.299')::INTEGER AS named,
              count(*) FILTER (WHERE extra IS NULL)::INTEGER AS nulls
       FROM read_parquet('${path}')`,
    );
    expect(counted).toEqual({
      before: all.filter((r) => r.micros <= cut).length,
      named: all.filter((r) => r.event === "event.299").length,
      nulls: all.filter((r) => r.extra === null).length,
    });
    const [point] = await duckdbRows(
      `SELECT count(*)::INTEGER AS n FROM read_parquet('${path}') WHERE epoch_us(timestamp) = ${cut}`,
    );
    expect(point?.n).toBe(all.filter((r) => r.micros === cut).length);
  });

  it("leaves out the columns asked (a partition's channel), one group per file", async () => {
    const few = all.slice(0, 50);
    const single = encodeFile(blocks(few, 50), 50, ["channel"]);
    const onePath = join(tempDir(), "part.parquet");
    writeFileSync(onePath, single);
    const read = await duckdbRows(`SELECT * FROM read_parquet('${onePath}')`);
    expect(Object.keys(read[0] ?? {})).toEqual([
      "schema_version",
      "event",
      "timestamp",
      "payload",
      "extra",
    ]);
    expect(read.map((r) => r.event)).toEqual(few.map((r) => r.event));
  });
});
