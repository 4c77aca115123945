import { describe, expect, it } from "vitest";
import {
  canonicalToEpochMicros,
  formatEpochMillis,
  normalizeTimestamp,
  timestampHasZone,
  utcDay,
} from "../../src/schema/index.js";
import { daysInMonth } from "../../src/schema/timestamp.js";

describe("normalizeTimestamp", () => {
  it.each([
    ["2025-03-01T10:00:00Z", "2025-03-01T10:00:00.000Z"],
    ["2025-03-01T10:00:00.000Z", "2025-03-01T10:00:00.000Z"],
    ["2025-03-01T10:00:00+02:00", "2025-03-01T08:00:00.000Z"],
    ["2025-03-01T10:00:00-05:30", "2025-03-01T15:30:00.000Z"],
    ["2025-03-01T10:00:00.123456+02:00", "2025-03-01T08:00:00.123456Z"],
    ["2025-03-01T10:00:00.1+00:00", "2025-03-01T10:00:00.100Z"],
    ["2025-03-01T10:00:00.1234Z", "2025-03-01T10:00:00.123400Z"],
    ["2025-03-01T10:00:00.123456789Z", "2025-03-01T10:00:00.123456789Z"],
    ["2025-03-01T10:00:00,5Z", "2025-03-01T10:00:00.500Z"],
    ["2025-03-01 10:00:00Z", "2025-03-01T10:00:00.000Z"],
    ["2025-03-01t10:00:00z", "2025-03-01T10:00:00.000Z"],
    ["2025-03-01T10:00Z", "2025-03-01T10:00:00.000Z"],
    ["2025-03-01T10:00:00+0200", "2025-03-01T08:00:00.000Z"],
    ["2025-03-01T10:00:00+02", "2025-03-01T08:00:00.000Z"],
    ["2025-03-01T01:00:00+02:00", "2025-02-28T23:00:00.000Z"],
    ["2024-02-29T12:00:00Z", "2024-02-29T12:00:00.000Z"],
    ["2025-03-01T10:00:00", "2025-03-01T10:00:00.000Z"],
    ["0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000Z"],
    ["0050-06-01T00:00:00Z", "0050-06-01T00:00:00.000Z"],
    ["9999-12-31T23:59:59.999999Z", "9999-12-31T23:59:59.999999Z"],
  ])("%s -> %s", (input, expected) => {
    expect(normalizeTimestamp(input)).toBe(expected);
  });

  it.each([
    "2025-02-30T10:00:00Z",
    "2025-02-29T10:00:00Z",
    "2025-13-01T10:00:00Z",
    "2025-00-01T10:00:00Z",
    "2025-03-01",
    "2025-03-01T24:00:00Z",
    "2025-03-01T10:60:00Z",
    "2025-03-01T10:00:60Z",
    "2025-03-01T10:00:00+24:00",
    "2025-03-01T10:00:00+02:60",
    "2025-03-01T10:00:00.1234567890Z",
    "1741000000",
    "",
    "yesterday",
    "9999-12-31T23:00:00-02:00",
    "0000-01-01T00:30:00+01:00",
    " 2025-03-01T10:00:00Z",
  ])("rejects %j", (input) => {
    expect(normalizeTimestamp(input)).toBeUndefined();
  });

  it("is idempotent on its own output", () => {
    const once = normalizeTimestamp("2025-03-01T10:00:00.123456+02:00") as string;
    expect(normalizeTimestamp(once)).toBe(once);
  });
});

describe("timestamp helpers", () => {
  it("tells zoned from zone-less", () => {
    expect(timestampHasZone("2025-03-01T10:00:00Z")).toBe(true);
    expect(timestampHasZone("2025-03-01T10:00:00-01:00")).toBe(true);
    expect(timestampHasZone("2025-03-01T10:00:00")).toBe(false);
    expect(timestampHasZone("2025-03-01T10:00:00.5")).toBe(false);
  });

  it("formats epoch milliseconds and refuses what has no four-digit year", () => {
    expect(formatEpochMillis(0)).toBe("1970-01-01T00:00:00.000Z");
    expect(formatEpochMillis(Number.NaN)).toBeUndefined();
    expect(formatEpochMillis(8.64e15)).toBeUndefined();
    expect(formatEpochMillis(-62_198_755_200_001)).toBeUndefined();
  });

  it("converts canonical timestamps to microseconds and days", () => {
    expect(canonicalToEpochMicros("1970-01-01T00:00:01.000Z")).toBe(1_000_000n);
    expect(canonicalToEpochMicros("1970-01-01T00:00:00.123456Z")).toBe(123_456n);
    expect(canonicalToEpochMicros("1970-01-01T00:00:00.123456789Z")).toBe(123_456n);
    expect(utcDay("2025-03-01T23:59:59.999Z")).toBe("2025-03-01");
  });
});

describe("daysInMonth", () => {
  it.each([
    [2025, 1, 31],
    [2025, 2, 28],
    [2024, 2, 29],
    [1900, 2, 28],
    [2000, 2, 29],
    [2100, 2, 28],
    [2025, 4, 30],
    [2025, 12, 31],
    [2025, 0, 0],
    [2025, 13, 0],
  ])("%i-%i has %i days", (year, month, days) => {
    expect(daysInMonth(year, month)).toBe(days);
  });

  it("is the parser's rule too: 1900 was no leap year, 2000 was", () => {
    expect(normalizeTimestamp("1900-02-29T00:00:00Z")).toBeUndefined();
    expect(normalizeTimestamp("2000-02-29T00:00:00Z")).toBe("2000-02-29T00:00:00.000Z");
  });
});
