// An injected clock that fails (throws, or returns NaN) while the tracker decides whether to
// rotate is not an I/O problem: the file is writable, so an event record() acknowledged is
// written, to the live file, and the failure is reported once a second at most.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type TelemetryError, Tracker } from "../../src/index.js";
import { readLines } from "../helpers/read-lines.js";
import { tempDir } from "../helpers/temp-dir.js";

const AT = { timestamp: "2025-03-01T10:00:00Z" };

describe("a clock that fails at a rotation decision", () => {
  it.each([
    ["throws", () => new Error("clock not synchronised"), "Error: clock not synchronised"],
    ["returns NaN", () => Number.NaN, "it returned NaN"],
    ["returns a string", () => "soon", "it returned soon"],
  ])(
    "%s: the acknowledged events are written, the failure reported once",
    async (_, fail, message) => {
      const directory = tempDir();
      let failing = false;
      const errors: TelemetryError[] = [];
      const clock = () => {
        if (!failing) return Date.UTC(2025, 2, 1, 10);
        const value = fail();
        if (value instanceof Error) throw value;
        return value as number;
      };
      const tracker = new Tracker({
        directory,
        clock,
        bufferBytes: 0,
        onError: (e) => errors.push(e),
        rotate: { frequency: "daily", size: 1000 },
      });
      tracker.record("user", "before");
      failing = true;
      const events = Array.from({ length: 30 }, (_, i) => tracker.record("user", "e", { i }, AT));
      expect(tracker.stats()).toMatchObject({ recorded: 31, written: 31, dropped: 0, errors: 1 });
      expect(errors[0]?.code).toBe("io_error");
      expect(errors[0]?.message).toContain("was not rotated: the clock failed");
      expect(errors[0]?.message).toContain(message);
      const lines = readLines(join(directory, "user.jsonl"));
      expect(lines.slice(1)).toEqual(events.map((e) => JSON.stringify(e)));

      // The clock recovers: rotation resumes after the retry delay of a failed rotation.
      failing = false;
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      for (let i = 0; i < 30; i++) tracker.record("user", "e", { i }, AT);
      expect(tracker.stats().rotated).toBeGreaterThan(0);
      expect(tracker.stats()).toMatchObject({ written: 61, dropped: 0 });
    },
  );
});
