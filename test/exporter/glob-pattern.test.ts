import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isTelemetryError } from "../../src/errors/index.js";
import { GlobSegment } from "../../src/exporter/plan/glob-pattern.js";
import { resolveInputs } from "../../src/exporter/plan/resolve-inputs.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

// The regular expression the exporter used to build for a segment: the reference for what a
// pattern means (it only blew up in time, on names that defeat backtracking).
function referenceRegExp(segment: string): RegExp {
  let out = "";
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const close = segment.indexOf("]", i + 1);
      if (close === -1) out += "\\[";
      else {
        out += `[${segment
          .slice(i + 1, close)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\")}]`;
        i = close;
      }
    } else out += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

describe("glob segment matching", () => {
  it("means what the regular expression it replaces meant, on random patterns and names", () => {
    const patternChar = fc.constantFrom("a", "b", "-", ".", "*", "?", "[", "]", "!", "^", "\\");
    const nameChar = fc.constantFrom("a", "b", "c", "-", ".", "[", "]", "!", "^", "\\");
    fc.assert(
      fc.property(
        fc.array(patternChar, { maxLength: 10 }).map((cs) => cs.join("")),
        fc.array(
          fc.array(nameChar, { maxLength: 12 }).map((cs) => cs.join("")),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        (pattern, names) => {
          let reference: RegExp | undefined;
          try {
            reference = referenceRegExp(pattern);
          } catch {
            reference = undefined;
          }
          if (reference === undefined) {
            expect(() => new GlobSegment(pattern)).toThrow(/out of order/);
            return;
          }
          const segment = new GlobSegment(pattern);
          for (const name of names) expect(segment.matches(name)).toBe(reference.test(name));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("takes steps linear in the name's length on names that defeat a backtracking regex", () => {
    const segment = new GlobSegment("*-*-*-*-*.jsonl");
    const tokens = 14;
    for (const length of [50, 250, 2500]) {
      const name = "-".repeat(length);
      expect(segment.matches(name)).toBe(false);
      // At most (name + 1) x (tokens + 1) comparisons: linear for a given pattern.
      expect(segment.steps).toBeLessThanOrEqual((length + 1) * (tokens + 1));
    }
    const steps = (length: number) => {
      segment.matches(`${"-".repeat(length)}x`);
      return segment.steps;
    };
    // Ten times the name, about ten times the work (a backtracking regex grows as length^5).
    expect(steps(2500)).toBeLessThanOrEqual(11 * steps(250));
  });

  it("matches 250-character names against 'dir/*-*-*-*-*.jsonl' through --input", async () => {
    // Each pattern fails on the other file's name, the case a backtracking regex explores in
    // full (43 s for one name).
    const root = tempDir();
    const name = `${"-".repeat(244)}.jsonl`;
    const line = `{"schema_version":"telemetry_event_v1","channel":"user","event":"e","timestamp":"2025-03-01T00:00:00.000Z","payload":{}}\n`;
    writeFileSync(join(root, name), line);
    writeFileSync(join(root, `${"-".repeat(246)}.txt`), line);
    const { files } = resolveInputs([join(root, "*-*-*-*-*.jsonl")]);
    expect(files).toEqual([join(root, name)]);
    const run = await runCli(["validate", "-i", join(root, "*-*-*-*-*.txt")]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("all 1 records are valid");
  });

  it("refuses an invalid pattern such as [z-a] as a usage error (exit 2) naming it", async () => {
    const root = tempDir();
    const pattern = join(root, "[z-a].jsonl");
    let caught: unknown;
    try {
      resolveInputs([pattern]);
    } catch (error) {
      caught = error;
    }
    expect(isTelemetryError(caught, "usage")).toBe(true);
    expect((caught as { path: unknown[] }).path).toEqual(["inputs"]);
    const run = await runCli(["validate", "-i", pattern]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`invalid glob pattern "${pattern}": range z-a is out of order`);
    expect(run.stderr).not.toContain("regular expression");
  });
});
