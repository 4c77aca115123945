// What a developer reads when a Tracker refuses something: the rule, the received value with its
// type, a did-you-mean for typos, and issues as data ({ code, path, message }) on every error.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { TelemetryError, Tracker, type TrackerOptions } from "../../src/index.js";
import { tempDir } from "../helpers/temp-dir.js";

function thrown(fn: () => unknown): TelemetryError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TelemetryError);
    return error as TelemetryError;
  }
  throw new Error("expected a TelemetryError");
}

function construct(options: Record<string, unknown>): TelemetryError {
  return thrown(() => new Tracker({ directory: tempDir(), ...options } as TrackerOptions));
}

describe("Tracker options", () => {
  it("rejects an unknown option with a did-you-mean", () => {
    const error = construct({ flushIntervalMS: 100 });
    expect(error.code).toBe("invalid_options");
    expect(error.message).toBe("unknown option flushIntervalMS; did you mean flushIntervalMs?");
    expect(error.issues).toEqual([
      { code: "invalid_options", path: ["flushIntervalMS"], message: error.message },
    ]);
  });

  it("lists the known options when nothing is close, and names every unknown one", () => {
    const error = construct({ zzz: 1, maxEventByte: 10 });
    expect(error.issues.map((i) => i.path)).toEqual([["zzz"], ["maxEventByte"]]);
    expect(error.issues[0]?.message).toMatch(/^unknown option zzz; known options: directory, /);
    expect(error.issues[0]?.message).toContain("handleSignals");
    expect(error.issues[1]?.message).toContain("did you mean maxEventBytes?");
  });

  it("accepts every documented option (the known names follow the options themselves)", () => {
    const t = new Tracker({
      directory: tempDir(),
      clock: () => 0,
      maxEventBytes: 1000,
      bufferBytes: 0,
      flushIntervalMs: 0,
      fileMode: 0o600,
      maxDepth: 8,
      redact: ["password"],
      redactCensor: "*",
      onError: () => undefined,
      handleSignals: false,
      maxOpenFiles: 8,
      catalog: {},
      catalogUnknownKeys: "strip",
    });
    expect(t.stats().recorded).toBe(0);
  });

  it.each([
    [{ flushIntervalMs: "100" }, 'flushIntervalMs: expected an integer >= 0, got the string "100"'],
    [{ maxEventBytes: 1.5 }, "maxEventBytes: expected an integer >= 64, got the number 1.5"],
    [{ bufferBytes: Number.NaN }, "bufferBytes: expected an integer >= 0, got the number NaN"],
    [{ maxDepth: 257 }, "maxDepth: expected at most 256, got the number 257"],
    [{ fileMode: 0o666 }, "fileMode: expected 0o644 or stricter, got 0o666"],
    [{ directory: "" }, 'directory: expected a non-empty path, got the string ""'],
    [{ clock: 5 }, "clock: expected a function returning epoch milliseconds, got the number 5"],
    [{ onError: "x" }, 'onError: expected a function, got the string "x"'],
    [{ redact: "password" }, 'redact: expected an array of key names, got the string "password"'],
    [{ redactCensor: null }, "redactCensor: expected a string, got null"],
    [{ handleSignals: "yes" }, 'handleSignals: expected a boolean, got the string "yes"'],
    [{ catalog: [] }, "expected an object of channel -> event -> zod schema, got an array"],
    [{ catalogUnknownKeys: "keep" }, 'expected one of reject, strip, got the string "keep"'],
  ])("shows the received value with its type: %j", (options, message) => {
    const error = construct(options);
    expect(error.code).toBe("invalid_options");
    expect(error.message).toContain(message);
    const [name] = Object.keys(options);
    expect(error.issues).toEqual([
      { code: "invalid_options", path: [name], message: expect.any(String) },
    ]);
    expect(`${name}: ${error.issues[0]?.message}`).toBe(error.message);
  });

  it("names the catalogue entry that is not a zod schema by its path", () => {
    const error = construct({ catalog: { user: { login: {} } } });
    expect(error.message).toBe("catalog.user.login: expected a zod schema, got an object");
    expect(error.issues[0]?.path).toEqual(["catalog", "user", "login"]);
  });

  it("refuses options that are not an object, saying what they were", () => {
    const error = thrown(() => new Tracker(5 as unknown as TrackerOptions));
    expect(error.message).toBe("options: expected an object, got the number 5");
  });
});

describe("the rotate option", () => {
  it("rejects an unknown key with a did-you-mean and the full path", () => {
    const error = construct({ rotate: { sise: 1000 } });
    expect(error.message).toBe("unknown option rotate.sise; did you mean rotate.size?");
    expect(error.issues).toEqual([
      { code: "invalid_options", path: ["rotate", "sise"], message: error.message },
    ]);
    const far = construct({ rotate: { size: 10, zzz: 1 } });
    expect(far.message).toMatch(/^unknown option rotate\.zzz; known options: rotate\.size, /);
  });

  it.each([
    [{ size: "10m" }, 'rotate.size: expected an integer >= 1, got the string "10m"'],
    [{ size: 0 }, "rotate.size: expected an integer >= 1, got the number 0"],
    [
      { frequency: "weekly" },
      'rotate.frequency: expected one of daily, hourly, got the string "weekly"',
    ],
    [{ size: 10, compress: "yes" }, 'rotate.compress: expected a boolean, got the string "yes"'],
    [
      { size: 10, maxSegments: 0 },
      "rotate.maxSegments: expected an integer >= 1, got the number 0",
    ],
    [{ size: 10, maxAgeMs: 1.5 }, "rotate.maxAgeMs: expected an integer >= 1, got the number 1.5"],
    [{ size: 10, graceMs: -1 }, "rotate.graceMs: expected an integer >= 0, got the number -1"],
    [{ compress: true }, "rotate: expected size and/or frequency, got neither"],
    [true, "rotate: expected an object such as { size: 10485760 }, got the boolean true"],
  ])("refuses %j, saying what it got", (rotate, message) => {
    const error = construct({ rotate });
    expect(error.code).toBe("invalid_options");
    expect(error.message).toBe(message);
    expect(error.issues[0]?.path[0]).toBe("rotate");
  });

  it("accepts every documented key", () => {
    const rotate = {
      size: 1,
      frequency: "daily",
      compress: true,
      maxSegments: 1,
      maxAgeMs: 1,
      graceMs: 0,
    } as const;
    expect(() => new Tracker({ directory: tempDir(), rotate })).not.toThrow();
  });
});

describe("record() errors", () => {
  const t = () => new Tracker({ directory: tempDir(), flushIntervalMs: 0 });

  it.each([
    ["2025-02-30T00:00:00Z", "impossible date-time: 2025-02 has no day 30"],
    ["2025-02-29T00:00:00Z", "impossible date-time: 2025-02 has no day 29"],
    ["2025-13-01T00:00:00Z", "impossible date-time: month 13 does not exist"],
    ["2025-03-01T24:00:00Z", "impossible date-time: no time 24:00:00"],
    ["2025-03-01T10:00:00+24:00", "impossible date-time: no UTC offset +24:00"],
    ["2025-03-01", "not an ISO 8601 date-time"],
    ["soon", "not an ISO 8601 date-time"],
    ["0000-01-01T00:00:00+01:00", "year out of range"],
    ["9999-12-31T23:00:00-02:00", "year out of range"],
    [8.64e15 + 1, "year out of range"],
    [Number.NaN, "not a date-time: epoch milliseconds must be finite, got the number NaN"],
    [new Date(Number.NaN), "not a date-time: an invalid Date"],
    [true, "expected a Date, epoch milliseconds or an ISO 8601 string, got the boolean true"],
  ])("says which timestamp rule %j breaks", (timestamp, why) => {
    const error = thrown(() =>
      t().record("user", "e", {}, { timestamp: timestamp as unknown as string }),
    );
    expect(error.code).toBe("invalid_timestamp");
    expect(error.message).toContain(why);
    expect(error.issues).toEqual([
      { code: "invalid_timestamp", path: ["timestamp"], message: expect.stringContaining(why) },
    ]);
  });

  it("fills issues for channel and event errors", () => {
    const channel = thrown(() => t().record("User", "e"));
    expect(channel.message).toBe(
      'invalid channel: expected a channel matching ^[a-z0-9][a-z0-9_-]{0,63}$, got the string "User"',
    );
    expect(channel.issues).toEqual([
      { code: "invalid_channel", path: ["channel"], message: expect.stringContaining('"User"') },
    ]);
    const event = thrown(() => t().record("user", "a\nb"));
    expect(event.message).toBe(
      'invalid event name: event name must not contain control characters, got the string "a\\nb"',
    );
    expect(event.issues).toEqual([
      {
        code: "invalid_event",
        path: ["event"],
        message: "event name must not contain control characters",
      },
    ]);
  });

  it("fills issues for unknown events, with a did-you-mean from the catalogue", () => {
    const tracker = new Tracker({
      directory: tempDir(),
      catalog: { user: { login: z.object({}) } },
    });
    const event = thrown(() => (tracker.record as any)("user", "logni"));
    expect(event.issues).toEqual([
      {
        code: "unknown_event",
        path: ["event"],
        message: "user/logni is not in the catalog; did you mean login?",
      },
    ]);
    const channel = thrown(() => (tracker.record as any)("usr", "login"));
    expect(channel.issues[0]).toMatchObject({ path: ["channel"] });
    expect(channel.message).toContain("did you mean user?");
    // A name every object inherits is not an entry of the catalogue.
    expect(thrown(() => (tracker.record as any)("user", "constructor")).code).toBe("unknown_event");
  });

  it("fills issues for every other error too", async () => {
    const tracker = new Tracker({ directory: tempDir(), maxEventBytes: 64 });
    const tooLarge = thrown(() => tracker.record("user", "e", { s: "x".repeat(100) }));
    expect(tooLarge.issues).toEqual([
      { code: "event_too_large", path: [], message: tooLarge.message },
    ]);
    await tracker.close();
    const closed = thrown(() => tracker.record("user", "e"));
    expect(closed.issues).toEqual([{ code: "tracker_closed", path: [], message: closed.message }]);
    expect(new TelemetryError("usage", "no input").issues).toEqual([
      { code: "usage", path: [], message: "no input" },
    ]);
    const about = new TelemetryError("usage", "too large", { path: ["rowGroupSize"] });
    expect(about.issues).toEqual([{ code: "usage", path: ["rowGroupSize"], message: "too large" }]);
  });

  it('names an Error in a payload with "an", and says why it cannot be stored', () => {
    const error = thrown(() => t().record("user", "e", { failure: new Error("boom") }));
    expect(error.message).toBe(
      "payload.failure: an Error is not a plain object and has no toJSON method",
    );
    expect(error.issues[0]?.path).toEqual(["payload", "failure"]);
  });

  it("reports I/O failures with issues as well", async () => {
    const directory = join(tempDir(), "file");
    writeFileSync(directory, "");
    const errors: TelemetryError[] = [];
    const tracker = new Tracker({ directory, onError: (e) => errors.push(e) });
    tracker.record("user", "e");
    await tracker.close();
    expect(errors[0]?.issues[0]).toMatchObject({ code: "io_error", message: errors[0]?.message });
  });
});
