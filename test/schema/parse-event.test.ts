import { describe, expect, it } from "vitest";
import {
  MAX_PAYLOAD_DEPTH,
  parseEvent,
  SUPPORTED_SCHEMA_VERSIONS,
} from "../../src/schema/index.js";

const valid = {
  schema_version: "telemetry_event_v1",
  channel: "user",
  event: "Button Clicked",
  timestamp: "2025-03-01T10:00:00.123456+02:00",
  payload: { a: 1 },
};

describe("parseEvent", () => {
  it("returns the canonical event with a UTC timestamp", () => {
    const result = parseEvent(valid);
    expect(result).toEqual({
      ok: true,
      event: { ...valid, timestamp: "2025-03-01T08:00:00.123456Z" },
      warnings: [],
    });
  });

  it("puts core fields first and keeps extra fields after them", () => {
    const result = parseEvent({ extra: [1], ...valid, later: "x" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.keys(result.event)).toEqual([
      "schema_version",
      "channel",
      "event",
      "timestamp",
      "payload",
      "extra",
      "later",
    ]);
    expect(result.event.extra).toEqual([1]);
  });

  it("keeps __proto__ keys as data without touching any prototype", () => {
    const input = JSON.parse(
      '{"schema_version":"telemetry_event_v1","channel":"user","event":"e","timestamp":"2025-03-01T00:00:00Z","payload":{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}},"__proto__":{"top":1}}',
    );
    const result = parseEvent(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(JSON.stringify(result.event)).toContain('"payload":{"__proto__":{"polluted":true}');
    expect(JSON.stringify(result.event)).toContain('"__proto__":{"top":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(result.event)).toBe(Object.prototype);
  });

  it("warns about a zone-less timestamp and reads it as UTC", () => {
    const result = parseEvent({ ...valid, timestamp: "2025-03-01T10:00:00" });
    expect(result).toMatchObject({
      ok: true,
      event: { timestamp: "2025-03-01T10:00:00.000Z" },
      warnings: [{ code: "timestamp_without_zone", path: ["timestamp"] }],
    });
  });

  it("reports an unknown schema version as its own outcome", () => {
    const result = parseEvent({ ...valid, schema_version: "telemetry_event_v9" });
    expect(result).toMatchObject({
      ok: false,
      issues: [{ code: "unsupported_schema_version", path: ["schema_version"] }],
    });
    expect(SUPPORTED_SCHEMA_VERSIONS).toEqual(["telemetry_event_v1"]);
  });

  it.each([
    [
      "a missing schema_version",
      { ...valid, schema_version: undefined },
      "schema_violation",
      ["schema_version"],
    ],
    [
      "a numeric schema_version",
      { ...valid, schema_version: 1 },
      "unsupported_schema_version",
      ["schema_version"],
    ],
    ["a path-like channel", { ...valid, channel: "../etc" }, "schema_violation", ["channel"]],
    ["an upper-case channel", { ...valid, channel: "User" }, "schema_violation", ["channel"]],
    ["an empty channel", { ...valid, channel: "" }, "schema_violation", ["channel"]],
    ["a channel with a slash", { ...valid, channel: "a/b" }, "schema_violation", ["channel"]],
    ["a channel with a NUL", { ...valid, channel: "a\0" }, "schema_violation", ["channel"]],
    [
      "a 65-character channel",
      { ...valid, channel: "a".repeat(65) },
      "schema_violation",
      ["channel"],
    ],
    ["an empty event", { ...valid, event: "" }, "schema_violation", ["event"]],
    ["a 201-character event", { ...valid, event: "e".repeat(201) }, "schema_violation", ["event"]],
    ["an event with a newline", { ...valid, event: "a\nb" }, "schema_violation", ["event"]],
    ["an event with a C1 control", { ...valid, event: "a\u0085b" }, "schema_violation", ["event"]],
    [
      "a numeric timestamp",
      { ...valid, timestamp: 1741000000 },
      "invalid_timestamp",
      ["timestamp"],
    ],
    [
      "an impossible date",
      { ...valid, timestamp: "2025-02-30T00:00:00Z" },
      "invalid_timestamp",
      ["timestamp"],
    ],
    [
      "a date-only timestamp",
      { ...valid, timestamp: "2025-02-01" },
      "invalid_timestamp",
      ["timestamp"],
    ],
    [
      "a lone surrogate in a payload value",
      { ...valid, payload: { a: ["x", "\ud800"] } },
      "schema_violation",
      ["payload", "a", 1],
    ],
    [
      "a lone surrogate in a payload key",
      { ...valid, payload: { "\udc00": 1 } },
      "schema_violation",
      ["payload", "\udc00"],
    ],
    [
      "a lone surrogate in the event name",
      { ...valid, event: "e\ud800" },
      "schema_violation",
      ["event"],
    ],
    ["an array payload", { ...valid, payload: [] }, "schema_violation", ["payload"]],
    ["a null payload", { ...valid, payload: null }, "schema_violation", ["payload"]],
    ["a string payload", { ...valid, payload: "x" }, "schema_violation", ["payload"]],
    ["a missing payload", { ...valid, payload: undefined }, "schema_violation", ["payload"]],
  ])("rejects %s", (_name, input, code, path) => {
    const result = parseEvent(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]).toMatchObject({ code, path });
    expect(result.issues[0]?.message).toEqual(expect.any(String));
  });

  it.each([null, [], "x", 1, true])("rejects a non-object %j", (input) => {
    expect(parseEvent(input)).toMatchObject({ ok: false, issues: [{ code: "schema_violation" }] });
  });

  it("accepts the event names the design names", () => {
    for (const event of ["Button Clicked", "user.login", "sim:tick", "é ü 😀"]) {
      expect(parseEvent({ ...valid, event }).ok).toBe(true);
    }
  });

  it("bounds payload nesting at MAX_PAYLOAD_DEPTH levels, deterministically", () => {
    const nested = (levels: number) =>
      JSON.parse(
        `{"schema_version":"telemetry_event_v1","channel":"u","event":"e","timestamp":"2025-03-01T00:00:00Z","payload":${"[".repeat(levels - 1).replace(/^/, '{"a":')}${"]".repeat(levels - 1)}}}`,
      );
    expect(MAX_PAYLOAD_DEPTH).toBe(256);
    expect(parseEvent(nested(MAX_PAYLOAD_DEPTH)).ok).toBe(true);
    expect(parseEvent(nested(MAX_PAYLOAD_DEPTH + 1))).toMatchObject({
      ok: false,
      issues: [
        {
          code: "schema_violation",
          path: ["payload"],
          message: "payload is nested deeper than 256 levels",
        },
      ],
    });
    expect(parseEvent(nested(200_000)).ok).toBe(false);
  });

  it("names a number that is not finite by its own path, not the union around it", () => {
    const overflow = JSON.parse(
      '{"schema_version":"telemetry_event_v1","channel":"u","event":"e","timestamp":"2025-03-01T00:00:00Z","payload":{"x":[1,{"y":-1e999}]}}',
    );
    expect(parseEvent(overflow)).toEqual({
      ok: false,
      issues: [
        {
          code: "schema_violation",
          path: ["payload", "x", 1, "y"],
          message:
            "payload.x.1.y: number beyond a double's range (JSON parsers read it as infinity); send it as a string to keep it",
        },
      ],
    });
    expect(parseEvent({ ...valid, payload: { n: Number.NaN } })).toMatchObject({
      ok: false,
      issues: [{ path: ["payload", "n"], message: "payload.n: NaN is not a JSON number" }],
    });
    // A sparse array (from the API) is refused as before, not thrown on.
    // biome-ignore lint/suspicious/noSparseArray: the hole is the case.
    expect(parseEvent({ ...valid, payload: { a: [1, , 2] } }).ok).toBe(false);
    // Extra top-level fields keep their text as written: not refused for it.
    expect(parseEvent({ ...valid, host: Number.POSITIVE_INFINITY }).ok).toBe(true);
  });
});
