// SECURITY.md: every line the Tracker writes is the event record() returned. Called with little
// stack left, pino's JSON.stringify of the payload could overflow where the payload's copy had
// not, and pino then wrote its own fallback: a copy cut at depth 5 and 100 keys with its keys
// sorted, or a stand-in string; record() returned the full event and counted it written. Now
// such a call throws `invalid_payload` and writes nothing (or, with no stack left even to make
// an error, fails with the engine's RangeError, as any call would, writing nothing either).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readLines } from "../helpers/read-lines.js";
import { runTs } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("record() near the end of the stack", () => {
  it.each([
    ["a payload 250 levels deep", "250"],
    ["a payload 12 levels deep", "12"],
  ])(
    "%s: every line written is the event returned, in order",
    async (_name, depth) => {
      const directory = tempDir();
      const run = await runTs("test/fixtures/processes/record-at-stack-edge.ts", [
        directory,
        depth,
        "1500",
      ]);
      expect(run.code).toBe(0);
      const { returned, thrown, stats } = JSON.parse(run.stdout) as {
        returned: string[];
        thrown: Record<string, number>;
        stats: { recorded: number; written: number; dropped: number };
      };
      expect(returned.length).toBeGreaterThan(0);
      expect(readLines(join(directory, "c.jsonl"))).toEqual(returned);
      expect(stats).toMatchObject({
        recorded: returned.length,
        written: returned.length,
        dropped: 0,
      });
      // Nothing but refusals: no other error, and some calls were refused (the edge was reached).
      expect(Object.keys(thrown).every((k) => k === "invalid_payload" || k === "RangeError")).toBe(
        true,
      );
      expect(thrown.invalid_payload ?? 0).toBeGreaterThan(0);
    },
    120_000,
  );
});
