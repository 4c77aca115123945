import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runEtl } from "../../src/exporter/index.js";
import { eventLine as line, NOW } from "../helpers/event-lines.js";
import { SETTLED } from "../helpers/settled-clock.js";
import { tempDir } from "../helpers/temp-dir.js";

const FILES = ["a.jsonl", "b.jsonl", "c.jsonl", "sub/d.jsonl"] as const;

function eventLine(channel: string, n: number): string {
  return line({
    channel,
    event: `e${n % 7}`,
    timestamp: new Date(Date.UTC(2025, 0, 1 + (n % 40), n % 24)),
    payload: { n, tag: n % 3 === 0 ? "x" : { deep: [n] } },
  });
}

// One step of a writer's life: appended events, a bad line, a line cut short (and later finished).
const step = fc.record({
  file: fc.constantFrom(...FILES),
  kind: fc.constantFrom("events", "events", "invalid", "torn", "finish", "blank"),
  count: fc.integer({ min: 1, max: 30 }),
  // Where a torn line is cut; past its end, the line is complete but has no "\n" yet.
  cut: fc.integer({ min: 1, max: 400 }),
});

function sortedEvents(path: string): string[] {
  return (JSON.parse(readFileSync(path, "utf8")) as unknown[]).map((e) => JSON.stringify(e)).sort();
}

async function check(tuning: { workers?: number; segmentBytes?: number }, numRuns: number) {
  let serial = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.array(step, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
      async (rounds) => {
        const input = tempDir();
        const out = tempDir();
        const pending = new Map<string, string>();
        let first = true;
        for (const round of rounds) {
          for (const { file, kind, count, cut } of round) {
            const path = join(input, file);
            if (file.includes("/")) mkdirSync(join(input, "sub"), { recursive: true });
            const channel = file.slice(file.lastIndexOf("/") + 1, file.indexOf("."));
            const rest = pending.get(file);
            if (kind === "finish" || rest !== undefined) {
              // A torn line is always finished before anything else lands in its file.
              if (rest !== undefined) appendFileSync(path, `${rest}\n`);
              pending.delete(file);
              if (kind === "finish") continue;
            }
            if (kind === "events") {
              const lines = Array.from({ length: count }, () => eventLine(channel, serial++));
              appendFileSync(path, `${lines.join("\n")}\n`);
            } else if (kind === "invalid") {
              appendFileSync(path, `{"bad": ${serial++}\n`);
            } else if (kind === "blank") {
              appendFileSync(path, "\n");
            } else {
              const line = eventLine(channel, serial++);
              const at = Math.min(cut, line.length);
              appendFileSync(path, line.slice(0, at));
              pending.set(file, line.slice(at));
            }
          }
          const inc = await runEtl(
            { inputs: [input], outputDir: out, incremental: true, now: NOW, clock: SETTLED },
            tuning,
          );
          expect(inc.incremental?.mode).toBe(first ? "full" : "incremental");
          first = false;
          const full = await runEtl({
            inputs: [input],
            outputDir: join(out, "full"),
            now: NOW,
            clock: SETTLED,
          });
          expect(inc.report).toEqual(full.report);
          expect(readFileSync(inc.aggregatesPath, "utf8")).toBe(
            readFileSync(full.aggregatesPath, "utf8"),
          );
          expect(sortedEvents(inc.eventsPath)).toEqual(sortedEvents(full.eventsPath));
          expect(readFileSync(inc.reportPath, "utf8")).toBe(readFileSync(full.reportPath, "utf8"));
        }
      },
    ),
    { numRuns },
  );
}

describe("incremental ETL", () => {
  it("after any sequence of appends, equals a full run: same report, same events", async () => {
    await check({}, 25);
  }, 120_000);

  it("the same on worker threads over small segments", async () => {
    await check({ workers: 2, segmentBytes: 300 }, 4);
  }, 120_000);
});
