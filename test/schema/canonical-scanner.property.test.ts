import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TimeRange } from "../../src/exporter/engine/time-range.js";
import { CanonicalScanner } from "../../src/schema/canonical-scanner.js";
import { canonicalToEpochMicros, compareTimestamps } from "../../src/schema/index.js";
import {
  formatParts,
  partsToEpochMicros,
  timestampParts,
} from "../../src/schema/timestamp-parts.js";
import { canonicalTimestamp, REFUSED_TIMESTAMPS } from "../helpers/canonical-timestamps.js";

const timestamp = canonicalTimestamp;

const line = (ts: string, event = "button.click", payload = '{"a":1}') =>
  `{"schema_version":"telemetry_event_v1","channel":"user","event":"${event}","timestamp":"${ts}","payload":${payload}}`;

function scan(text: string, before = "", after = "") {
  const bytes = Buffer.from(before + text + after, "utf8");
  const start = Buffer.byteLength(before);
  const scanner = new CanonicalScanner();
  const head = scanner.scan(bytes, start, start + Buffer.byteLength(text));
  return head === undefined ? undefined : { head, scanner };
}

describe("CanonicalScanner on bytes", () => {
  it("reads a timestamp as the parts, text and microseconds the string functions give", () => {
    fc.assert(
      fc.property(timestamp, (ts) => {
        const parts = timestampParts(ts);
        expect(formatParts(parts.day, parts.nanos, parts.digits)).toBe(ts);
        expect(partsToEpochMicros(parts.day, parts.nanos)).toBe(canonicalToEpochMicros(ts));
        const read = scan(line(ts));
        expect(read).toBeDefined();
        expect({
          day: read?.scanner.day,
          nanos: read?.scanner.nanos,
          digits: read?.scanner.digits,
        }).toEqual(parts);
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses any timestamp that is not a real date-time in the canonical form", () => {
    const good = "2024-02-29T23:59:59.999Z";
    expect(scan(line(good))).toBeDefined();
    // Every single character replaced by one that breaks it.
    for (let i = 0; i < good.length; i++) {
      for (const c of ["x", "/", ":", " ", "9"]) {
        const bad = good.slice(0, i) + c + good.slice(i + 1);
        if (bad === good || (c === "9" && /[0-8]/.test(good[i] ?? ""))) continue;
        expect(scan(line(bad)), bad).toBeUndefined();
      }
    }
    for (const bad of REFUSED_TIMESTAMPS) {
      expect(scan(line(bad)), bad).toBeUndefined();
    }
  });

  it("reads only its own bytes: the same answer whatever surrounds the line", () => {
    const surround = fc.string({ maxLength: 8 }).map((s) => s.replace(/\n/g, ""));
    fc.assert(
      fc.property(
        timestamp,
        fc.constantFrom('{"a":1}', '{"s":"x\\"y","n":[1,2.5,{"b":null}]}', "{}"),
        surround,
        surround,
        (ts, payload, before, after) => {
          const text = line(ts, "é.event", payload);
          const alone = scan(text);
          const inside = scan(text, `${before}\n`, `\n${after}`);
          expect(alone).toBeDefined();
          expect(inside?.head.event).toBe("é.event");
          expect(inside?.scanner.payloadEnd).toBe(
            (alone?.scanner.payloadEnd ?? 0) + Buffer.byteLength(`${before}\n`),
          );
        },
      ),
    );
  });

  it("never accepts a line cut short, even when the bytes after the cut would complete it", () => {
    const text = line("2025-03-01T10:00:00.000Z", "ok", '{"s":"a}b","t":{"u":[1,"}"]}}');
    expect(scan(text)).toBeDefined();
    for (let cut = 1; cut < text.length; cut++) {
      expect(scan(text.slice(0, cut), "", text.slice(cut)), String(cut)).toBeUndefined();
    }
  });

  it("shares one head per (channel, event) and validates names once", () => {
    const scanner = new CanonicalScanner();
    const bytes = Buffer.from(
      `${line("2025-03-01T10:00:00.000Z")}\n${line("2025-03-02T10:00:00.000Z")}`,
    );
    const cut = bytes.indexOf(10);
    const a = scanner.scan(bytes, 0, cut);
    const b = scanner.scan(bytes, cut + 1, bytes.length);
    expect(a).toBeDefined();
    expect(b).toBe(a);
    // A name the schema refuses is never cached as a head.
    expect(scan(line("2025-03-01T10:00:00.000Z", "a\\b"))).toBeUndefined();
    expect(scan(line("2025-03-01T10:00:00.000Z", "tab\there"))).toBeUndefined();
  });
});

describe("TimeRange", () => {
  it("keeps the first and last instants as compareTimestamps orders them", () => {
    fc.assert(
      fc.property(fc.array(timestamp, { minLength: 1, maxLength: 30 }), (list) => {
        const range = new TimeRange();
        let first: string | null = null;
        let last: string | null = null;
        for (const ts of list) {
          range.addText(ts);
          if (first === null || compareTimestamps(ts, first) < 0) first = ts;
          if (last === null || compareTimestamps(ts, last) > 0) last = ts;
        }
        expect([range.first, range.last]).toEqual([first, last]);
      }),
    );
    // Equal instants written with different digits: the first seen stays.
    const range = new TimeRange();
    range.addText("2025-03-01T10:00:00.100Z");
    range.addText("2025-03-01T10:00:00.100000Z");
    expect([range.first, range.last]).toEqual([
      "2025-03-01T10:00:00.100Z",
      "2025-03-01T10:00:00.100Z",
    ]);
    expect(new TimeRange().first).toBeNull();
  });
});
