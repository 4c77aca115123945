// Event names are at most 200 Unicode code points, the unit JSON Schema's maxLength counts, on
// every path: the Tracker, parseEvent, the exporter's fast scanner and the committed JSON Schema.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateEvents } from "../../src/exporter/index.js";
import { EVENT_NAME_MAX_LENGTH, parseEvent, parseEventFromText, Tracker } from "../../src/index.js";
import { eventNameSchema, isEventName } from "../../src/schema/event-schema.js";
import { tempDir } from "../helpers/temp-dir.js";

const accepted = ["😀".repeat(101), "😀".repeat(200), "é".repeat(200), "e".repeat(200)];
const refused = ["😀".repeat(201), "e".repeat(201), `${"a😀".repeat(100)}b`];

function line(event: string): string {
  return JSON.stringify({
    schema_version: "telemetry_event_v1",
    channel: "user",
    event,
    timestamp: "2025-03-01T10:00:00.000Z",
    payload: {},
  });
}

describe("event name length", () => {
  it("counts code points: 101 emoji are 202 UTF-16 code units and 101 characters", () => {
    expect(EVENT_NAME_MAX_LENGTH).toBe(200);
    expect("😀".repeat(101).length).toBe(202);
    expect([..."a😀".repeat(100).concat("b")].length).toBe(201);
  });

  it("the Tracker accepts up to 200 code points and refuses more", async () => {
    const tracker = new Tracker({ directory: tempDir() });
    for (const name of accepted) expect(tracker.record("user", name).event).toBe(name);
    for (const name of refused) {
      expect(() => tracker.record("user", name)).toThrow(/at most 200 characters \(code points\)/);
    }
    await tracker.close();
  });

  it("parseEvent and parseEventFromText agree", () => {
    for (const name of accepted) {
      expect(parseEvent(JSON.parse(line(name))).ok).toBe(true);
      expect(parseEventFromText(JSON.parse(line(name)), line(name)).ok).toBe(true);
    }
    for (const name of refused) {
      expect(parseEvent(JSON.parse(line(name))).ok).toBe(false);
      expect(parseEventFromText(JSON.parse(line(name)), line(name)).ok).toBe(false);
    }
  });

  it("the exporter (its canonical fast scanner included) agrees", async () => {
    const file = join(tempDir(), "user.jsonl");
    writeFileSync(file, [...accepted, ...refused].map((n) => `${line(n)}\n`).join(""));
    const { scan } = await validateEvents({ inputs: [file] });
    expect(scan.totals).toMatchObject({ valid: accepted.length, invalid: refused.length });
  });

  it("the committed JSON Schema agrees, through ajv", () => {
    const path = new URL("../../schema/telemetry_event_v1.schema.json", import.meta.url);
    const schema = JSON.parse(readFileSync(path, "utf8"));
    expect(schema.$defs.telemetry_event_v1.properties.event.description).toContain("code points");
    const validate = new Ajv2020({ strict: false }).compile(schema);
    for (const name of accepted) expect(validate(JSON.parse(line(name)))).toBe(true);
    for (const name of refused) expect(validate(JSON.parse(line(name)))).toBe(false);
  });

  it("isEventName (zod-free, for a saved state's names) agrees with the schema on any text", () => {
    for (const name of accepted) expect(isEventName(name)).toBe(true);
    for (const name of refused) expect(isEventName(name)).toBe(false);
    const text = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 210 }),
      fc.string({ unit: "binary", maxLength: 210 }),
      fc.string({
        unit: fc.constantFrom("e", "😀", "\ud800", "\u0085", "\n", " "),
        maxLength: 220,
      }),
    );
    fc.assert(
      fc.property(text, (name) => {
        expect(isEventName(name)).toBe(eventNameSchema.safeParse(name).success);
      }),
      { numRuns: 2000 },
    );
  });
});
