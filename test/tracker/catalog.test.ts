// The typed catalogue: what record() requires in the types, what it writes (the schema's parsed
// value), and what happens to keys the schema does not declare.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { type TelemetryError, Tracker, type TrackerOptions } from "../../src/index.js";
import { readLines } from "../helpers/read-lines.js";
import { tempDir } from "../helpers/temp-dir.js";

const catalog = {
  user: {
    login: z.object({ user_id: z.string(), profile: z.object({ plan: z.string() }).optional() }),
    logout: z.object({ reason: z.string().optional() }),
  },
  simulation: {
    tick: z.object({ step: z.number().transform(String), mode: z.string().default("auto") }),
    free: z.looseObject({ step: z.number() }),
    strict: z.strictObject({ step: z.number() }),
  },
};

function open(options: Omit<TrackerOptions<typeof catalog>, "catalog"> = {}) {
  const directory = tempDir();
  const tracker = new Tracker({ directory, flushIntervalMs: 0, catalog, ...options });
  const lines = async (channel: string) => {
    await tracker.close();
    const file = join(directory, `${channel}.jsonl`);
    return existsSync(file) ? readLines(file).map((l) => JSON.parse(l)) : [];
  };
  return { tracker, lines };
}

function thrown(fn: () => unknown): TelemetryError {
  try {
    fn();
  } catch (error) {
    return error as TelemetryError;
  }
  throw new Error("expected a TelemetryError");
}

describe("catalogue types (tsc fails if a line marked @ts-expect-error stops being an error)", () => {
  it("requires the payload when the event's schema has required fields", async () => {
    const { tracker } = open();
    // @ts-expect-error: user.login requires user_id, so the payload cannot be left out
    expect(thrown(() => tracker.record("user", "login")).code).toBe("invalid_payload");
    // @ts-expect-error: nor can it be undefined, with options after it
    expect(thrown(() => tracker.record("user", "login", undefined, {})).code).toBe(
      "invalid_payload",
    );
    // Optional when every field is: an empty payload is valid.
    expect(tracker.record("user", "logout").payload).toEqual({});
    tracker.record("user", "logout", {}, { timestamp: 0 });
    await tracker.close();
  });

  it("keeps the payload optional without a catalogue", async () => {
    const tracker = new Tracker({ directory: tempDir() });
    expect(tracker.record("user", "anything").payload).toEqual({});
    await tracker.close();
  });
});

describe("what a catalogued event writes", () => {
  it("writes the schema's parsed value: transforms and defaults applied", async () => {
    const { tracker, lines } = open();
    const event = tracker.record("simulation", "tick", { step: 5 });
    expect(event.payload).toEqual({ step: "5", mode: "auto" });
    expect(await lines("simulation")).toEqual([event]);
  });

  it("refuses keys the schema does not declare, by default, and writes nothing", async () => {
    const { tracker, lines } = open();
    const error = thrown(() => tracker.record("user", "login", { user_id: "u", extra: 1 } as any));
    expect(error.code).toBe("invalid_payload");
    expect(error.issues).toEqual([
      {
        code: "unrecognized_keys",
        path: ["payload", "extra"],
        message: expect.stringContaining('unrecognized key "extra"'),
      },
    ]);
    expect(error.message).toContain('catalogUnknownKeys: "strip"');
    const nested = thrown(() =>
      tracker.record("user", "login", {
        user_id: "u",
        profile: { plan: "pro", seats: 3 },
      } as any),
    );
    expect(nested.issues.map((i) => i.path)).toEqual([["payload", "profile", "seats"]]);
    expect(await lines("user")).toEqual([]);
  });

  it('drops them with catalogUnknownKeys: "strip"', async () => {
    const { tracker, lines } = open({ catalogUnknownKeys: "strip" });
    const event = tracker.record("user", "login", { user_id: "u", extra: 1 } as any);
    expect(event.payload).toEqual({ user_id: "u" });
    expect(await lines("user")).toEqual([event]);
  });

  it("keeps them when the schema itself keeps them (z.looseObject), refuses with z.strictObject", async () => {
    const { tracker, lines } = open({ catalogUnknownKeys: "strip" });
    const event = tracker.record("simulation", "free", { step: 1, note: "kept" });
    expect(event.payload).toEqual({ step: 1, note: "kept" });
    const strict = thrown(() => tracker.record("simulation", "strict", { step: 1, x: 2 } as any));
    expect(strict.code).toBe("invalid_payload");
    expect(await lines("simulation")).toEqual([event]);
  });

  it("walks a circular payload without looping, and refuses it as JSON cannot hold it", async () => {
    const tracker = new Tracker({
      directory: tempDir(),
      catalog: { user: { e: z.object({ data: z.unknown() }) } },
    });
    const data: Record<string, unknown> = {};
    data.self = data;
    const error = thrown(() => tracker.record("user", "e", { data }));
    expect(error.message).toContain("circular reference");
    await tracker.close();
  });

  it("ignores undefined properties, as JSON does", async () => {
    const { tracker } = open();
    expect(
      tracker.record("user", "login", { user_id: "u", gone: undefined } as any).payload,
    ).toEqual({ user_id: "u" });
    await tracker.close();
  });
});
