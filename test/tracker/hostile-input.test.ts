import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseEvent, TelemetryError, Tracker } from "../../src/index.js";
import { readLines } from "../helpers/read-lines.js";
import { tempDir } from "../helpers/temp-dir.js";

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** Plain objects whose toJSON returns the next one. */
function toJsonChain(length: number): object {
  let value: object = { end: true };
  for (let i = 0; i < length; i++) {
    const next = value;
    value = { toJSON: () => next };
  }
  return value;
}

class Link {
  constructor(readonly next: Link | undefined) {}
  toJSON(): unknown {
    return this.next ?? "end";
  }
}

/** Class instances whose toJSON returns the next one (unbounded recursion before). */
function linkChain(length: number): Link {
  let value = new Link(undefined);
  for (let i = 0; i < length; i++) value = new Link(value);
  return value;
}

describe("only TelemetryError escapes record()", () => {
  const getterError = new Error("getter failed");
  const cases: [string, () => unknown, string, unknown][] = [
    [
      "a payload getter's own Error",
      () => ({
        get secret() {
          throw getterError;
        },
      }),
      "payload.secret: could not be read (Error: getter failed)",
      getterError,
    ],
    [
      "a revoked Proxy as the payload",
      revokedProxy,
      "payload: could not be read (TypeError: Cannot perform 'IsArray' on a proxy that has been revoked)",
      TypeError,
    ],
    [
      "a revoked Proxy inside the payload",
      () => ({ a: [1, revokedProxy()] }),
      "payload.a[1]: could not be read (TypeError:",
      TypeError,
    ],
    [
      "a getter that recurses until the stack overflows",
      () => {
        const loop: Record<string, unknown> = {};
        Object.defineProperty(loop, "x", { enumerable: true, get: () => loop.x });
        return loop;
      },
      "payload.x: could not be read (RangeError: Maximum call stack size exceeded)",
      RangeError,
    ],
  ];

  it.each(cases)("%s becomes invalid_payload with the cause kept", (_, make, message, cause) => {
    const t = new Tracker({ directory: tempDir() });
    const error = thrown(() => t.record("user", "e", make() as Record<string, unknown>));
    expect(error).toBeInstanceOf(TelemetryError);
    expect((error as TelemetryError).code).toBe("invalid_payload");
    expect((error as TelemetryError).message.startsWith(message)).toBe(true);
    const kept = (error as TelemetryError).cause;
    if (typeof cause === "function") expect(kept).toBeInstanceOf(cause);
    else expect(kept).toBe(cause);
    expect(t.stats()).toMatchObject({ recorded: 0, pending: 0 });
  });

  it.each([
    ["plain objects", toJsonChain, "payload.a.toJSON: a function has no JSON form"],
    [
      "class instances",
      linkChain,
      "payload.a: toJSON returned a Link, which is not a plain object",
    ],
  ])(
    "refuses a long toJSON chain of %s: toJSON is called once per value, as JSON.stringify does",
    (_, chain, message) => {
      const t = new Tracker({ directory: tempDir() });
      const error = thrown(() => t.record("user", "e", { a: chain(100_000) }));
      expect(error).toBeInstanceOf(TelemetryError);
      expect((error as TelemetryError).code).toBe("invalid_payload");
      expect((error as TelemetryError).message).toBe(message);
    },
  );

  it.each([
    [
      "a timestamp Date whose getTime throws",
      {
        timestamp: Object.assign(new Date(), {
          getTime: () => {
            throw new Error("no");
          },
        }),
      },
    ],
    ["record options that are a revoked Proxy", revokedProxy()],
  ])("%s becomes invalid_timestamp with the cause kept", (_, options) => {
    const t = new Tracker({ directory: tempDir() });
    const error = thrown(() => t.record("user", "e", {}, options as never));
    expect(error).toBeInstanceOf(TelemetryError);
    expect((error as TelemetryError).code).toBe("invalid_timestamp");
    expect((error as TelemetryError).cause).toBeInstanceOf(Error);
  });

  it.each([
    ["a BigInt channel", 10n, "e", "invalid_channel", "got the bigint 10n"],
    ["a revoked Proxy channel", revokedProxy(), "e", "invalid_channel", "got an object"],
    ["a revoked Proxy event", "user", revokedProxy(), "invalid_event", "string, got an object"],
    ["a BigInt event", "user", 10n, "invalid_event", "string, got the bigint 10n"],
  ])("%s is described without throwing", (_, channel, event, code, text) => {
    const t = new Tracker({ directory: tempDir() });
    const error = thrown(() => t.record(channel as string, event as string));
    expect(error).toBeInstanceOf(TelemetryError);
    expect((error as TelemetryError).code).toBe(code);
    expect((error as TelemetryError).message).toContain(text);
  });
});

describe("catalogue look-ups use own properties only", () => {
  const catalog = { user: { login: z.object({ id: z.string() }) } };
  const names = ["toString", "constructor", "hasOwnProperty", "__proto__", "valueOf"];

  it.each(names)("a channel named %s is unknown_event", (name) => {
    const t = new Tracker({ directory: tempDir(), catalog });
    const error = thrown(() => (t.record as (...a: unknown[]) => unknown)(name, "login", {}));
    expect(error).toBeInstanceOf(TelemetryError);
    expect((error as TelemetryError).code).toBe("unknown_event");
  });

  it.each(names)("an event named %s is unknown_event", (name) => {
    const t = new Tracker({ directory: tempDir(), catalog });
    const error = thrown(() => (t.record as (...a: unknown[]) => unknown)("user", name, {}));
    expect(error).toBeInstanceOf(TelemetryError);
    expect((error as TelemetryError).code).toBe("unknown_event");
  });

  it("an unlisted channel with an event that cannot be described is unknown_event", () => {
    const t = new Tracker({ directory: tempDir(), catalog });
    for (const event of [revokedProxy(), Object.create(null), 10n]) {
      const error = thrown(() => (t.record as (...a: unknown[]) => unknown)("billing", event, {}));
      expect((error as TelemetryError).code).toBe("unknown_event");
    }
  });

  it("a schema that throws a value without a prototype still gives invalid_payload", () => {
    const odd = Object.create(null);
    const strict = {
      user: {
        login: z.object({}).refine(() => {
          throw odd;
        }),
      },
    };
    const t = new Tracker({ directory: tempDir(), catalog: strict });
    const error = thrown(() => t.record("user", "login", {}));
    expect((error as TelemetryError).code).toBe("invalid_payload");
    expect((error as TelemetryError).cause).toBe(odd);
  });

  it("a catalogue schema whose check throws gives invalid_payload with the cause kept", () => {
    const failure = new Error("refine failed");
    const strict = {
      user: {
        login: z.object({ id: z.string() }).refine(() => {
          throw failure;
        }),
      },
    };
    const t = new Tracker({ directory: tempDir(), catalog: strict });
    const error = thrown(() => t.record("user", "login", { id: "u1" }));
    expect(error).toBeInstanceOf(TelemetryError);
    expect((error as TelemetryError).code).toBe("invalid_payload");
    expect((error as TelemetryError).cause).toBe(failure);
  });

  it("a catalogue entry that is not a schema is refused at construction", () => {
    for (const catalog of [{ user: { login: {} } }, { user: null }, { user: { login: null } }]) {
      const error = thrown(() => new Tracker({ directory: tempDir(), catalog: catalog as never }));
      expect((error as TelemetryError).code).toBe("invalid_options");
    }
  });
});

describe("objects with a toJSON method", () => {
  it("converts a plain object with toJSON, nested or as the payload, and round-trips", async () => {
    const directory = tempDir();
    const t = new Tracker({ directory });
    const money = { amount: 12.5, currency: "EUR", toJSON: () => "12.50 EUR" };
    const model = { secret: "s", toJSON: (key: string) => ({ id: 7, key, when: new Date(0) }) };
    const a = t.record("user", "e", { money, list: [money] });
    const b = t.record("user", "e", model as unknown as Record<string, unknown>);
    await t.close();
    expect(a.payload).toEqual({ money: "12.50 EUR", list: ["12.50 EUR"] });
    expect(b.payload).toEqual({ id: 7, key: "payload", when: "1970-01-01T00:00:00.000Z" });
    const lines = readLines(join(directory, "user.jsonl"));
    expect(lines).toEqual([JSON.stringify(a), JSON.stringify(b)]);
    for (const [i, line] of lines.entries()) {
      expect(parseEvent(JSON.parse(line))).toEqual({ ok: true, event: [a, b][i], warnings: [] });
    }
  });

  it("applies the payload rules to what toJSON returns", () => {
    const t = new Tracker({ directory: tempDir() });
    const bad = [
      [{ v: { toJSON: () => Number.NaN } }, "payload.v: NaN is not a JSON number"],
      [{ toJSON: () => [1, 2] }, "payload: payload must be a plain object, got an array"],
      [
        { v: [{ toJSON: () => undefined }] },
        "payload.v[0]: undefined in an array would become null",
      ],
    ] as const;
    for (const [payload, message] of bad) {
      const error = thrown(() => t.record("user", "e", payload as Record<string, unknown>));
      expect((error as TelemetryError).code).toBe("invalid_payload");
      expect((error as TelemetryError).message).toBe(message);
    }
  });

  it("names a class instance without toJSON with the right article", () => {
    const t = new Tracker({ directory: tempDir() });
    const error = thrown(() => t.record("user", "e", { err: new Error("x"), map: new Map() }));
    expect((error as TelemetryError).message).toBe(
      "payload.err: an Error is not a plain object and has no toJSON method",
    );
    const map = thrown(() => t.record("user", "e", { map: new Map() }));
    expect((map as TelemetryError).message).toBe(
      "payload.map: a Map is not a plain object and has no toJSON method",
    );
  });
});
