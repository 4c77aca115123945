import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { parseEvent, TelemetryError, Tracker } from "../../src/index.js";
import { MAX_PAYLOAD_DEPTH } from "../../src/schema/index.js";
import { readLines } from "../helpers/read-lines.js";
import { tempDir } from "../helpers/temp-dir.js";

const T0 = Date.UTC(2025, 2, 1, 12, 0, 0);

function tracker(options: ConstructorParameters<typeof Tracker>[0] = {}) {
  const directory = tempDir();
  return { directory, tracker: new Tracker({ directory, clock: () => T0, ...options }) };
}

function expectCode(fn: () => unknown, code: string) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TelemetryError);
    expect((error as TelemetryError).code).toBe(code);
    return error as TelemetryError;
  }
  throw new Error(`expected a TelemetryError with code ${code}`);
}

describe("Tracker.record", () => {
  it("appends one canonical line per event to <directory>/<channel>.jsonl", async () => {
    const { directory, tracker: t } = tracker();
    const a = t.record("user", "Button Clicked", { id: 1 });
    const b = t.record("simulation", "sim:tick", { step: 2 });
    const c = t.record("user", "user.login");
    await t.close();
    expect(a).toEqual({
      schema_version: "telemetry_event_v1",
      channel: "user",
      event: "Button Clicked",
      timestamp: "2025-03-01T12:00:00.000Z",
      payload: { id: 1 },
    });
    expect(readLines(join(directory, "user.jsonl"))).toEqual([
      JSON.stringify(a),
      JSON.stringify(c),
    ]);
    expect(readLines(join(directory, "simulation.jsonl"))).toEqual([JSON.stringify(b)]);
    expect(c.payload).toEqual({});
  });

  it("creates a missing directory, nested", async () => {
    const directory = join(tempDir(), "a", "b");
    const t = new Tracker({ directory });
    t.record("user", "e");
    await t.close();
    expect(readLines(join(directory, "user.jsonl"))).toHaveLength(1);
  });

  it.each([
    [new Date("2025-03-01T10:00:00.250Z"), "2025-03-01T10:00:00.250Z"],
    [Date.UTC(2025, 0, 2), "2025-01-02T00:00:00.000Z"],
    ["2025-03-01T10:00:00.123456+02:00", "2025-03-01T08:00:00.123456Z"],
    ["2025-03-01T10:00:00-05:30", "2025-03-01T15:30:00.000Z"],
    ["2025-03-01 10:00z", "2025-03-01T10:00:00.000Z"],
  ])("normalises the timestamp %j to UTC", async (timestamp, expected) => {
    const { tracker: t } = tracker();
    expect(t.record("user", "e", {}, { timestamp }).timestamp).toBe(expected);
    await t.close();
  });

  // docs/sdk.md: readers take a date-time without a zone as UTC, JavaScript's Date as local
  // time; written as UTC, an app's local time was hours off without a word (a new user's find).
  it.each(["2025-03-01T10:00:00", "2025-03-01 10:00", "2025-03-01T10:00:00.123456789"])(
    "refuses the timestamp %j, which has no zone, and writes nothing",
    async (timestamp) => {
      const { directory, tracker: t } = tracker();
      let thrown: unknown;
      try {
        t.record("user", "e", {}, { timestamp });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(TelemetryError);
      expect((thrown as TelemetryError).code).toBe("invalid_timestamp");
      expect((thrown as TelemetryError).message).toBe(
        `invalid timestamp ${JSON.stringify(timestamp)}: no zone: add Z for UTC or an offset such as +02:00, or pass a Date (local time and UTC are hours apart)`,
      );
      expect((thrown as TelemetryError).issues[0]?.path).toEqual(["timestamp"]);
      await t.close();
      expect(existsSync(join(directory, "user.jsonl"))).toBe(false);
    },
  );

  it("keeps every event's line identical to what parseEvent returns", async () => {
    const { directory, tracker: t } = tracker();
    const recorded = t.record("user", "e", {
      d: new Date(0),
      n: -0,
      u: undefined,
      s: "\ud83d\ude00",
    });
    await t.close();
    const [line] = readLines(join(directory, "user.jsonl"));
    const parsed = parseEvent(JSON.parse(line as string));
    expect(parsed).toEqual({ ok: true, event: recorded, warnings: [] });
    expect(recorded.payload).toEqual({ d: "1970-01-01T00:00:00.000Z", n: 0, s: "😀" });
    expect(Object.is(recorded.payload.n, 0)).toBe(true);
  });

  it("keeps a __proto__ key as data", async () => {
    const { directory, tracker: t } = tracker();
    const payload = JSON.parse('{"__proto__":{"admin":true},"x":1}');
    const recorded = t.record("user", "e", payload);
    await t.close();
    expect(readFileSync(join(directory, "user.jsonl"), "utf8")).toContain(
      '"payload":{"__proto__":{"admin":true},"x":1}',
    );
    expect(Object.getPrototypeOf(recorded.payload)).toBe(Object.prototype);
    expect(({} as { admin?: boolean }).admin).toBeUndefined();
  });

  it("uses toJSON where a value defines it", async () => {
    const { tracker: t } = tracker();
    const url = new URL("https://example.test/a?b=1");
    expect(t.record("user", "e", { url }).payload).toEqual({ url: "https://example.test/a?b=1" });
    await t.close();
  });

  it("snapshots the payload: later changes by the caller do not alter the event", async () => {
    const { directory, tracker: t } = tracker();
    const payload = { list: [1] };
    t.record("user", "e", payload);
    payload.list.push(2);
    await t.close();
    expect(readLines(join(directory, "user.jsonl"))[0]).toContain('"list":[1]');
  });
});

describe("Tracker.record refuses bad input and writes nothing", () => {
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  class Point {
    x = 1;
  }
  it.each([
    ["invalid_channel", () => ["", "e", {}]],
    ["invalid_channel", () => ["..", "e", {}]],
    ["invalid_channel", () => ["a/b", "e", {}]],
    ["invalid_channel", () => ["a\\b", "e", {}]],
    ["invalid_channel", () => ["/abs", "e", {}]],
    ["invalid_channel", () => ["a\0", "e", {}]],
    ["invalid_channel", () => ["User", "e", {}]],
    ["invalid_channel", () => ["x".repeat(65), "e", {}]],
    ["invalid_event", () => ["user", "", {}]],
    ["invalid_event", () => ["user", "a\nb", {}]],
    ["invalid_event", () => ["user", "e".repeat(201), {}]],
    ["invalid_event", () => ["user", 42, {}]],
    ["invalid_payload", () => ["user", "e", []]],
    ["invalid_payload", () => ["user", "e", null]],
    ["invalid_payload", () => ["user", "e", "text"]],
    ["invalid_payload", () => ["user", "e", new Map()]],
    ["invalid_payload", () => ["user", "e", new Point()]],
    ["invalid_payload", () => ["user", "e", { n: Number.NaN }]],
    ["invalid_payload", () => ["user", "e", { n: Number.POSITIVE_INFINITY }]],
    ["invalid_payload", () => ["user", "e", { deep: { n: Number.NEGATIVE_INFINITY } }]],
    ["invalid_payload", () => ["user", "e", { n: 10n }]],
    ["invalid_payload", () => ["user", "e", { f: () => 1 }]],
    ["invalid_payload", () => ["user", "e", { s: Symbol("s") }]],
    ["invalid_payload", () => ["user", "e", circular]],
    ["invalid_payload", () => ["user", "e", { list: [1, undefined] }]],
    ["invalid_payload", () => ["user", "e", { d: new Date(Number.NaN) }]],
    ["invalid_payload", () => ["user", "e", { m: new Map([[1, 2]]) }]],
    ["invalid_payload", () => ["user", "e", { s: new Set([1]) }]],
    ["invalid_payload", () => ["user", "e", { s: "a\ud800" }]],
    ["invalid_payload", () => ["user", "e", { "k\udc00": 1 }]],
    ["invalid_event", () => ["user", "e\ud800", {}]],
  ])("%s for %#", async (code, args) => {
    const { directory, tracker: t } = tracker();
    const [channel, event, payload] = args();
    expectCode(() => (t.record as any)(channel, event, payload), code);
    await t.close();
    expect(existsSync(join(directory, "user.jsonl"))).toBe(false);
    expect(t.stats().recorded).toBe(0);
  });

  it("names the path of a bad payload value", () => {
    const { tracker: t } = tracker();
    const error = expectCode(
      () => t.record("user", "e", { a: { b: [0, Number.NaN] } }),
      "invalid_payload",
    );
    expect(error.message).toContain("payload.a.b[1]");
    expect(error.issues[0]?.path).toEqual(["payload", "a", "b", 1]);
  });

  it.each([
    "2025-02-30T00:00:00Z",
    "2025-03-01",
    "soon",
    Number.NaN,
    8.64e15 + 1,
    new Date(Number.NaN),
  ])("invalid_timestamp for %j", async (timestamp) => {
    const { directory, tracker: t } = tracker();
    expectCode(() => t.record("user", "e", {}, { timestamp }), "invalid_timestamp");
    await t.close();
    expect(existsSync(join(directory, "user.jsonl"))).toBe(false);
  });

  it("throws event_too_large above maxEventBytes, counting UTF-8 bytes", async () => {
    const { directory, tracker: t } = tracker({ maxEventBytes: 200 });
    const base = JSON.stringify(t.record("user", "e", { s: "" })).length;
    expectCode(() => t.record("user", "e", { s: "é".repeat(200 - base) }), "event_too_large");
    t.record("user", "e", { s: "a".repeat(200 - base) });
    await t.close();
    const lines = readLines(join(directory, "user.jsonl"));
    expect(lines).toHaveLength(2);
    expect(Buffer.byteLength(lines[1] as string)).toBe(200);
  });

  it("enforces maxDepth, the payload object being level 1", async () => {
    const { tracker: t } = tracker({ maxDepth: 2 });
    t.record("user", "e", { a: { b: 1 } });
    expectCode(() => t.record("user", "e", { a: { b: {} } }), "invalid_payload");
    expectCode(() => t.record("user", "e", { a: [[]] }), "invalid_payload");
    await t.close();
  });
});

describe("Tracker options", () => {
  it.each([
    [{ maxEventBytes: 0 }],
    [{ maxEventBytes: 1.5 }],
    [{ bufferBytes: -1 }],
    [{ flushIntervalMs: Number.NaN }],
    [{ fileMode: 0o666 }],
    [{ maxDepth: 0 }],
    [{ maxDepth: MAX_PAYLOAD_DEPTH + 1 }],
    [{ directory: "" }],
    [{ clock: 5 }],
    [{ onError: "x" }],
    [{ redact: "password" }],
    [{ redactCensor: 1 }],
  ])("throws invalid_options for %j", (options) => {
    expectCode(() => new Tracker(options as any), "invalid_options");
  });

  it("removes redacted keys at any depth", async () => {
    const { tracker: t } = tracker({ redact: ["password", "token"] });
    const e = t.record("user", "e", {
      password: "x",
      user: { token: "y", name: "n" },
      list: [{ token: 1 }],
    });
    expect(e.payload).toEqual({ user: { name: "n" }, list: [{}] });
    await t.close();
  });

  it("masks redacted keys with redactCensor", async () => {
    const { tracker: t } = tracker({ redact: ["password"], redactCensor: "[redacted]" });
    expect(t.record("user", "e", { a: { password: "x" } }).payload).toEqual({
      a: { password: "[redacted]" },
    });
    await t.close();
  });

  it("creates files with mode 0644 by default and 0600 on request", async () => {
    const previous = process.umask(0);
    try {
      const a = tracker();
      a.tracker.record("user", "e");
      await a.tracker.close();
      expect(statSync(join(a.directory, "user.jsonl")).mode & 0o777).toBe(0o644);
      const b = tracker({ fileMode: 0o600 });
      b.tracker.record("user", "e");
      await b.tracker.close();
      expect(statSync(join(b.directory, "user.jsonl")).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });
});

describe("Tracker buffering, flush and close", () => {
  it("holds events in the buffer until flush(), then writes them all", async () => {
    const { directory, tracker: t } = tracker({ flushIntervalMs: 0 });
    for (let i = 0; i < 10; i++) t.record("user", "e", { i });
    expect(t.stats()).toMatchObject({ recorded: 10, written: 0, pending: 10 });
    expect(existsSync(join(directory, "user.jsonl"))).toBe(false);
    await t.flush();
    expect(t.stats()).toEqual({
      recorded: 10,
      written: 10,
      dropped: 0,
      errors: 0,
      pending: 0,
      rotated: 0,
      compressed: 0,
      removed: 0,
    });
    expect(readLines(join(directory, "user.jsonl"))).toHaveLength(10);
    await t.close();
  });

  it("writes a full buffer at once", async () => {
    const { directory, tracker: t } = tracker({ bufferBytes: 1000, flushIntervalMs: 0 });
    for (let i = 0; i < 20; i++) t.record("user", "e", { i });
    expect(t.stats().written).toBeGreaterThan(0);
    expect(readLines(join(directory, "user.jsonl")).length).toBe(t.stats().written);
    await t.close();
  });

  it("writes buffered events after flushIntervalMs without being asked", async () => {
    const { directory, tracker: t } = tracker({ flushIntervalMs: 10 });
    t.record("user", "e");
    await vi.waitFor(() => expect(readLines(join(directory, "user.jsonl"))).toHaveLength(1));
    await t.close();
  });

  it("writes each event at once with bufferBytes 0", async () => {
    const { directory, tracker: t } = tracker({ bufferBytes: 0, flushIntervalMs: 0 });
    t.record("user", "e");
    expect(readLines(join(directory, "user.jsonl"))).toHaveLength(1);
    await t.close();
  });

  it("close() is idempotent and record() after it throws tracker_closed", async () => {
    const { tracker: t } = tracker();
    t.record("user", "e");
    await t.close();
    await t.close();
    expectCode(() => t.record("user", "e"), "tracker_closed");
    expect(t.stats()).toMatchObject({ recorded: 1, written: 1 });
  });

  // A payload getter that closes the tracker while record() reads it: record() returned and the
  // event stayed buffered in a closed file, never written (an adversary's find).
  it("close() from the payload's own code: record() throws tracker_closed, nothing is pending", async () => {
    const { directory, tracker: t } = tracker();
    t.record("user", "first");
    let closing: Promise<void> | undefined;
    expectCode(
      () =>
        t.record("user", "second", {
          get v() {
            closing = t.close();
            return 1;
          },
        }),
      "tracker_closed",
    );
    await closing;
    expect(t.stats()).toMatchObject({ recorded: 1, written: 1, pending: 0 });
    expect(readLines(join(directory, "user.jsonl")).map((l) => JSON.parse(l).event)).toEqual([
      "first",
    ]);
  });

  it("starts on a fresh line after a torn last line", async () => {
    const directory = tempDir();
    writeFileSync(join(directory, "user.jsonl"), '{"schema_version":"telemetry_event_v1","chan');
    const t = new Tracker({ directory });
    const e = t.record("user", "e");
    await t.close();
    const lines = readLines(join(directory, "user.jsonl"));
    expect(lines).toEqual(['{"schema_version":"telemetry_event_v1","chan', JSON.stringify(e)]);
  });
});

describe("Tracker catalogue", () => {
  const catalog = {
    user: { login: z.object({ user_id: z.string() }) },
    simulation: { tick: z.object({ step: z.number().int() }) },
  };

  it("validates payloads against the catalogue", async () => {
    const { tracker: t } = tracker({ catalog });
    expect(t.record("user", "login", { user_id: "u1" }).payload).toEqual({ user_id: "u1" });
    const error = expectCode(
      () => t.record("simulation", "tick", { step: 1.5 } as any),
      "invalid_payload",
    );
    expect(error.issues[0]?.path).toEqual(["payload", "step"]);
    expectCode(() => (t.record as any)("user", "logout", {}), "unknown_event");
    await t.close();
  });

  it("types record() from the catalogue (tsc fails if a line below stops being an error)", async () => {
    const t = new Tracker({ directory: tempDir(), catalog });
    t.record("user", "login", { user_id: "u1" });
    // @ts-expect-error: a channel not in the catalogue
    expectCode(() => t.record("billing", "login", { user_id: "u1" }), "unknown_event");
    // @ts-expect-error: an event not in that channel
    expectCode(() => t.record("user", "tick", { step: 1 }), "unknown_event");
    // @ts-expect-error: a payload of the wrong shape
    expectCode(() => t.record("simulation", "tick", { step: "1" }), "invalid_payload");
    await t.close();
  });
});

describe("Tracker I/O failures never throw from record()", () => {
  it("reports a directory that is a file, counts the drop, and resumes when it clears", async () => {
    const root = tempDir();
    const directory = join(root, "telemetry");
    writeFileSync(directory, "not a directory");
    const errors: TelemetryError[] = [];
    const t = new Tracker({ directory, onError: (e) => errors.push(e) });
    t.record("user", "e", { n: 1 });
    await t.flush();
    expect(errors[0]?.code).toBe("io_error");
    expect(t.stats()).toMatchObject({ recorded: 1, written: 0, dropped: 1, errors: 1 });
    const { rmSync } = await import("node:fs");
    rmSync(directory);
    const kept = t.record("user", "e", { n: 2 });
    await t.close();
    expect(readLines(join(directory, "user.jsonl"))).toEqual([JSON.stringify(kept)]);
    expect(t.stats()).toMatchObject({ recorded: 2, written: 1, dropped: 1 });
  });

  it("survives an onError that throws", async () => {
    const directory = join(tempDir(), "file");
    writeFileSync(directory, "");
    const t = new Tracker({
      directory,
      onError: () => {
        throw new Error("handler bug");
      },
    });
    t.record("user", "e");
    await expect(t.close()).resolves.toBeUndefined();
    expect(t.stats().dropped).toBe(1);
  });

  it("emits one process warning when no onError is given", async () => {
    const directory = join(tempDir(), "file");
    writeFileSync(directory, "");
    // Captured, not printed: an expected warning on the test run's stderr reads as a failure.
    const emitted = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    try {
      const t = new Tracker({ directory });
      t.record("user", "e");
      await t.flush();
      t.record("user", "e");
      await t.close();
      await new Promise((resolve) => setImmediate(resolve));
      expect(emitted).toHaveBeenCalledTimes(1);
      expect(emitted.mock.calls[0]?.[0]).toMatch(/user\.jsonl could not be written \(EEXIST\)/);
      expect(emitted.mock.calls[0]?.[1]).toEqual({ code: "TELEMETRY_IO_ERROR" });
      expect(t.stats()).toMatchObject({ dropped: 2, errors: 2 });
    } finally {
      emitted.mockRestore();
    }
  });

  it("reopens the file when its directory is removed while running", async () => {
    const { rmSync } = await import("node:fs");
    const { directory, tracker: t } = tracker();
    t.record("user", "before");
    await t.flush();
    rmSync(directory, { recursive: true });
    const after = t.record("user", "after");
    await t.close();
    expect(readLines(join(directory, "user.jsonl"))).toEqual([JSON.stringify(after)]);
    expect(t.stats()).toMatchObject({ written: 2, dropped: 0 });
  });

  it("never writes through a channel file that is a symlink", async () => {
    const { symlinkSync } = await import("node:fs");
    const directory = tempDir();
    const outside = join(tempDir(), "target.txt");
    writeFileSync(outside, "precious\n");
    symlinkSync(outside, join(directory, "user.jsonl"));
    const errors: TelemetryError[] = [];
    const t = new Tracker({ directory, onError: (e) => errors.push(e) });
    t.record("user", "e");
    await t.close();
    expect(readFileSync(outside, "utf8")).toBe("precious\n");
    expect(errors[0]?.code).toBe("io_error");
    expect(errors[0]?.message).toContain("symbolic link");
    expect(t.stats()).toMatchObject({ dropped: 1, written: 0 });
  });
});
