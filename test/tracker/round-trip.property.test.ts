import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eventNameSchema, parseEvent, Tracker } from "../../src/index.js";
import { readLines } from "../helpers/read-lines.js";
import { tempDir } from "../helpers/temp-dir.js";

const offset = fc
  .tuple(
    fc.constantFrom("+", "-"),
    fc.integer({ min: 0, max: 23 }),
    fc.integer({ min: 0, max: 59 }),
  )
  .map(([sign, h, m]) => `${sign}${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`);

// Every accepted timestamp form: Date, epoch ms, and strings with Z or an offset, with 0 to 9
// fraction digits (a string without a zone is refused: tracker-zoneless-timestamp.test.ts).
const timestamp = fc.oneof(
  fc.date({
    min: new Date("1970-01-01T00:00:00Z"),
    max: new Date("2400-01-01T00:00:00Z"),
    noInvalidDate: true,
  }),
  fc.integer({ min: 0, max: 13_000_000_000_000 }),
  fc
    .tuple(
      fc.date({
        min: new Date("1971-01-01T00:00:00Z"),
        max: new Date("2400-01-01T00:00:00Z"),
        noInvalidDate: true,
      }),
      fc.stringMatching(/^\d{0,9}$/),
      fc.oneof(fc.constant("Z"), offset),
    )
    .map(([date, fraction, zone]) => {
      const base = date.toISOString().slice(0, 19);
      return `${base}${fraction === "" ? "" : `.${fraction}`}${zone}`;
    }),
);

const payload = fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 8 });
const channel = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,10}$/);
const eventName = fc
  .string({ minLength: 1, maxLength: 40 })
  .filter((s) => eventNameSchema.safeParse(s).success);

describe("record -> file -> parseEvent round trip", () => {
  it("returns exactly the recorded events, line for line", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(channel, eventName, payload, timestamp), { minLength: 1, maxLength: 20 }),
        async (calls) => {
          const directory = tempDir();
          const tracker = new Tracker({ directory });
          const byChannel = new Map<string, unknown[]>();
          for (const [ch, ev, data, ts] of calls) {
            const recorded = tracker.record(ch, ev, data, { timestamp: ts });
            byChannel.set(ch, [...(byChannel.get(ch) ?? []), recorded]);
          }
          await tracker.close();
          for (const [ch, recorded] of byChannel) {
            const lines = readLines(join(directory, `${ch}.jsonl`));
            expect(lines).toEqual(recorded.map((e) => JSON.stringify(e)));
            const parsed = lines.map((line) => parseEvent(JSON.parse(line)));
            expect(parsed).toEqual(recorded.map((event) => ({ ok: true, event, warnings: [] })));
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
