import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import {
  normalizeTimestamp,
  parseEventFromText,
  type TelemetryEvent,
  timestampHasZone,
} from "../../src/schema/index.js";
import { LineFields } from "../../src/schema/line-fields.js";
import { LineTimestamp } from "../../src/schema/line-timestamp.js";
import { LooseLineScanner } from "../../src/schema/loose-line-scanner.js";
import { timestampParts } from "../../src/schema/timestamp-parts.js";
import { producerBatch, producerLine, producerTimestamp } from "../helpers/producer-lines.js";

function scan(text: string, before = "", after = "") {
  const bytes = Buffer.from(before + text + after, "utf8");
  const start = Buffer.byteLength(before);
  const scanner = new LooseLineScanner();
  const head = scanner.scan(bytes, start, start + Buffer.byteLength(text));
  if (head === undefined) return undefined;
  const line = Buffer.from(scanner.line.subarray(0, scanner.lineEnd)).toString();
  const payload = Buffer.from(scanner.line.subarray(scanner.payloadStart, scanner.payloadEnd));
  const { day, nanos, digits } = scanner;
  const extra = extraOf(scanner);
  return { head, line, payload: payload.toString(), extra, parts: { day, nanos, digits } };
}

// The text of the object of the line's other fields, as the scanner points to it.
function extraOf(scanner: LooseLineScanner): string | undefined {
  const extra = scanner.extra;
  return extra && Buffer.from(extra.buffer.subarray(extra.start, extra.end)).toString();
}

// The object of the event's other fields as JSON text, as the parser's path writes it.
function extraText(event: TelemetryEvent): string | undefined {
  const core = new Set(["schema_version", "channel", "event", "timestamp", "payload"]);
  const entries = Object.entries(event).filter(([key]) => !core.has(key));
  if (entries.length === 0) return undefined;
  const extra = {};
  for (const [key, value] of entries) {
    Object.defineProperty(extra, key, { value, enumerable: true });
  }
  return JSON.stringify(extra);
}

// The payload as a scanner that composes nothing else (for Parquet columns) gives it.
function scanPayload(text: string, before = "") {
  const bytes = Buffer.from(before + text, "utf8");
  const scanner = new LooseLineScanner(undefined, "payload");
  const head = scanner.scan(bytes, Buffer.byteLength(before), bytes.length);
  if (head === undefined) return undefined;
  const payload = scanner.line.subarray(scanner.payloadStart, scanner.payloadEnd);
  return { payload: Buffer.from(payload).toString(), extra: extraOf(scanner) };
}

// What the parser makes of the line: the valid event, when it is one without warnings.
function parsed(text: string): TelemetryEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const result = parseEventFromText(value, text);
  return result.ok && result.warnings.length === 0 ? result.event : undefined;
}

const PYTHON =
  '{"schema_version": "telemetry_event_v1", "channel": "user", "event": "button.saved", "timestamp": "2025-01-01T00:30:00.660000+01:00", "payload": {"k0": 864.609, "k1": [2, 6, 7], "k2": {"os": "linux", "gpu": true}, "k3": null}}';

describe("LooseLineScanner: other producers' lines, against the parser", () => {
  it("accepts a line only when the parser makes a valid event of it whose JSON.stringify it writes", () => {
    let accepted = 0;
    let withExtra = 0;
    fc.assert(
      fc.property(producerLine, (text) => {
        const read = scan(text);
        if (read === undefined) return;
        accepted++;
        if (read.extra !== undefined) withExtra++;
        const event = parsed(text);
        expect(event, text).toBeDefined();
        if (event === undefined) return;
        expect(read.line).toBe(JSON.stringify(event));
        expect(read.payload).toBe(JSON.stringify(event.payload));
        expect(read.extra).toBe(extraText(event));
        expect(scanPayload(text, "{}\n")).toEqual({ payload: read.payload, extra: read.extra });
        expect([read.head.channel, read.head.event]).toEqual([event.channel, event.event]);
        expect(read.parts).toEqual(timestampParts(event.timestamp));
      }),
      { numRuns: 4000 },
    );
    // The comparison means something only if the scanner accepted many lines.
    expect(accepted).toBeGreaterThan(400);
    expect(withExtra).toBeGreaterThan(100);
  });

  it("composing the payload alone, writes it without whitespace, or points into the line when it has none", () => {
    expect(scanPayload(PYTHON)?.payload).toBe(
      '{"k0":864.609,"k1":[2,6,7],"k2":{"os":"linux","gpu":true},"k3":null}',
    );
    const compact =
      '{"channel":"user","event":"e","payload":{"a":[1,{"b":"c d"}]},"schema_version":"telemetry_event_v1","timestamp":"2025-03-01T10:00:00Z"}';
    const bytes = Buffer.from(compact);
    const scanner = new LooseLineScanner(undefined, "payload");
    expect(scanner.scan(bytes, 0, bytes.length)).toBeDefined();
    expect(scanner.line).toBe(bytes);
    expect(bytes.subarray(scanner.payloadStart, scanner.payloadEnd).toString()).toBe(
      '{"a":[1,{"b":"c d"}]}',
    );
  });

  it("writes Python's json.dumps line in canonical form, its offset converted to UTC", () => {
    expect(scan(PYTHON)?.line).toBe(
      '{"schema_version":"telemetry_event_v1","channel":"user","event":"button.saved","timestamp":"2024-12-31T23:30:00.660000Z","payload":{"k0":864.609,"k1":[2,6,7],"k2":{"os":"linux","gpu":true},"k3":null}}',
    );
    // Sorted keys, as Go, jq -S and sort_keys=True write them.
    const sorted =
      '{"channel":"user","event":"e","payload":{"a":1},"schema_version":"telemetry_event_v1","timestamp":"2025-03-01T10:00:00.123456789Z"}';
    expect(scan(sorted)?.line).toBe(
      '{"schema_version":"telemetry_event_v1","channel":"user","event":"e","timestamp":"2025-03-01T10:00:00.123456789Z","payload":{"a":1}}',
    );
  });

  it("never accepts a line cut short, whatever bytes follow the cut", () => {
    expect(scan(PYTHON)).toBeDefined();
    for (let cut = 1; cut < PYTHON.length; cut++) {
      expect(scan(PYTHON.slice(0, cut), "", PYTHON.slice(cut)), String(cut)).toBeUndefined();
      expect(scan(PYTHON.slice(0, cut), "", ` \n${PYTHON}`), String(cut)).toBeUndefined();
    }
  });

  it("reads only its own bytes: the same answer whatever surrounds the line", () => {
    const surround = fc.string({ maxLength: 8 }).map((s) => s.replace(/\n/g, ""));
    fc.assert(
      fc.property(producerLine, surround, surround, (text, before, after) => {
        expect(scan(text, `${before}\n`, `\n${after}`)).toEqual(scan(text));
      }),
      { numRuns: 1000 },
    );
  });
});

// One scanner reads a file's lines in turn, each first against the layout of the line before
// (LineTemplate): it must answer for each line as a scanner that read nothing before does.
function scanAll(lines: readonly string[], compose: "line" | "payload" | "none") {
  const bytes = Buffer.from(`${lines.join("\n")}\n`, "utf8");
  const scanner = new LooseLineScanner(undefined, compose);
  const out = [];
  for (let start = 0; start < bytes.length; ) {
    const end = bytes.indexOf(10, start);
    const head = scanner.scan(bytes, start, end);
    const { day, nanos, digits } = scanner;
    out.push(
      head === undefined
        ? undefined
        : {
            head: [head.channel, head.event],
            parts: { day, nanos, digits },
            line: Buffer.from(scanner.line.subarray(0, scanner.lineEnd)).toString(),
            payload: Buffer.from(
              scanner.line.subarray(scanner.payloadStart, scanner.payloadEnd),
            ).toString(),
            extra: extraOf(scanner),
          },
    );
    start = end + 1;
  }
  return out;
}

describe("LooseLineScanner: a file's lines in turn, with the layout of the line before", () => {
  it("answers for each line as a fresh scanner does, in every composing mode", () => {
    const readFields = vi.spyOn(
      LineFields.prototype as unknown as { readFields(): boolean },
      "readFields",
    );
    let lines = 0;
    fc.assert(
      fc.property(producerBatch, fc.constantFrom("line", "payload", "none"), (batch, compose) => {
        lines += batch.length;
        const fresh = batch.map((line) => scanAll([line], compose)[0]);
        expect(scanAll(batch, compose)).toEqual(fresh);
      }),
      { numRuns: 3000 },
    );
    // Two reads a line when each batch is read twice over (alone, then in turn): fewer means the
    // layout was matched; the comparison means something only if it often was (many generated
    // lines are refused either way: escapes, odd numbers, bad values).
    const matched = 2 * lines - readFields.mock.calls.length;
    readFields.mockRestore();
    expect(matched).toBeGreaterThan(lines / 20);
    // 3,000 batches take 5-10 s alone; a loaded machine running every test file takes more.
  }, 90_000);

  it("reads Python's lines after the first by their layout, and falls back on a new one", () => {
    const readFields = vi.spyOn(
      LineFields.prototype as unknown as { readFields(): boolean },
      "readFields",
    );
    const other = PYTHON.replace('"user"', '"sim-1"').replace("864.609", '"a \\" b"');
    const sorted =
      '{"channel":"user","event":"e","payload":{"a":1},"schema_version":"telemetry_event_v1","timestamp":"2025-03-01T10:00:00Z"}';
    const read = scanAll([PYTHON, other, PYTHON, sorted, sorted], "line");
    expect(readFields).toHaveBeenCalledTimes(2);
    readFields.mockRestore();
    expect(read.map((r) => r?.line)).toEqual(
      [PYTHON, other, PYTHON, sorted, sorted].map((line) => scan(line)?.line),
    );
    expect(read.every((r) => r !== undefined)).toBe(true);
  });
});

describe("LineTimestamp, against normalizeTimestamp", () => {
  it("reads a timestamp as the parts of the canonical UTC form the schema gives it, or refuses it", () => {
    let read = 0;
    fc.assert(
      fc.property(producerTimestamp, (ts) => {
        const bytes = Buffer.from(`"${ts}"`);
        const reader = new LineTimestamp();
        const end = reader.read(bytes, 1, bytes.length);
        const canonical = normalizeTimestamp(ts);
        if (end < 0 || bytes[end] !== 0x22) {
          // Refused: only a form it leaves to the parser, or an invalid one.
          if (
            canonical !== undefined &&
            /^[\d-]{10}T[\d:]{8}(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/.test(ts)
          )
            expect.fail(`${ts} is valid and in a form it reads`);
          return;
        }
        read++;
        expect(canonical, ts).toBeDefined();
        expect(timestampHasZone(ts)).toBe(true);
        const { day, nanos, digits } = reader;
        expect({ day, nanos, digits }).toEqual(timestampParts(canonical as string));
      }),
      { numRuns: 5000 },
    );
    expect(read).toBeGreaterThan(2000);
  });

  it("writing the line itself (composing text), writes what composing the line does, or its timestamp cut to microseconds", () => {
    const line = (ts: string, payload = '{"a": [1, 2]}') =>
      `{"timestamp": "${ts}", "payload": ${payload}, "channel": "user", "event": "e", "schema_version": "telemetry_event_v1"}`;
    const written = (text: string, micros: boolean) => {
      const bytes = Buffer.from(text);
      const scanner = new LooseLineScanner(undefined, "text");
      expect(scanner.scan(bytes, 0, bytes.length)).toBeDefined();
      const out = new Uint8Array(scanner.lineBytes() + 8).fill(0x21);
      const end = scanner.writeLine(out, 3, micros);
      expect(end).toBeLessThanOrEqual(3 + scanner.lineBytes());
      expect(out[end]).toBe(0x21);
      return Buffer.from(out.subarray(3, end)).toString();
    };
    const cases: [string, string][] = [
      ["2025-01-01T00:00:00.123456789Z", "2025-01-01T00:00:00.123456Z"],
      ["2025-01-01T00:00:00.123000789Z", "2025-01-01T00:00:00.123Z"],
      ["2025-01-01T00:00:00.000000001Z", "2025-01-01T00:00:00.000Z"],
      ["2025-01-01T23:59:59.999999999+01:00", "2025-01-01T22:59:59.999999Z"],
      ["2025-01-01T00:00:00.5Z", "2025-01-01T00:00:00.500Z"],
      ["2025-01-01T00:00:00.123456Z", "2025-01-01T00:00:00.123456Z"],
    ];
    for (const [ts, micro] of cases) {
      const text = line(ts);
      expect(written(text, false)).toBe(scan(text)?.line);
      expect(written(text, true)).toBe(
        scan(text)?.line.replace(/"timestamp":"[^"]*"/, `"timestamp":"${micro}"`),
      );
    }
    // A payload without whitespace is copied from where it is.
    const compact = line("2025-01-01T00:00:00Z", '{"b":{"c":"d e"}}');
    expect(written(compact, true)).toBe(scan(compact)?.line);
  });
});
