// Differential property test: the committed JSON Schema (as ajv reads it, and as Python's and
// Java's validators read its patterns) against the zod schema, on generated events biased to
// where parsers differ; then the same events as text lines, with JSON's freedoms (whitespace,
// escapes, duplicate keys), against the exporter (library and CLI, 0 and 2 workers). The JSON
// Schema may differ from zod only where it cannot say what zod checks (docs/schema.md, "What
// the JSON Schema cannot say"): it takes those, and nothing else zod refuses.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  aggregateEvents,
  exportEvents,
  scanEvents,
  validateEvents,
} from "../../src/exporter/index.js";
import { parseEvent, parseEventFromText } from "../../src/schema/index.js";
import { parseEventWithSchema } from "../../src/schema/parse-event.js";
import { asSchemaJudges, generated, withUnsayable } from "../helpers/agreement-events.js";
import { chooser, type Style, writeJson } from "../helpers/json-styles.js";
import { runBin } from "../helpers/run-bin.js";
import { schemaValidator } from "../helpers/schema-validators.js";

const DIALECTS = ["ecma", "python", "java"] as const;
const validators = DIALECTS.map((d) => [d, schemaValidator(d)] as const);

describe("JSON Schema vs zod schema (differential)", () => {
  it("agree on every generated event, but for what the JSON Schema cannot say", () => {
    let valid = 0;
    fc.assert(
      fc.property(generated, ({ base, unsayable }) => {
        const { value, put } = withUnsayable(base, unsayable);
        const zod = parseEventWithSchema(value).ok;
        expect(parseEvent(value).ok).toBe(zod);
        if (zod) valid++;
        // The schema's verdict: zod's on the event without what it cannot say.
        const said = parseEventWithSchema(asSchemaJudges(base)).ok;
        if (put) expect(zod).toBe(false);
        for (const [dialect, validate] of validators) {
          expect([dialect, validate(value)]).toEqual([dialect, said]);
        }
      }),
      { numRuns: 4000 },
    );
    // The generator reaches both verdicts often enough to mean something.
    expect(valid).toBeGreaterThan(300);
  });
});

// --- The same events as text lines, through the exporter. ---

describe("exporter vs parseEvent on generated lines (differential)", () => {
  const styles = fc.constantFrom<Style>("stringify", "stringify", "python", "free");
  const samples = fc.sample(fc.tuple(generated, styles, fc.integer()), {
    numRuns: 4000,
    seed: 20251201,
  });
  const lines = samples.map(([{ base, unsayable }, style, seed]) =>
    writeJson(withUnsayable(base, unsayable).value, style, chooser(seed)),
  );
  // The verdict of a line: what JSON.parse and parseEvent make of it.
  // The canonical event of each line parseEvent takes (undefined when it refuses the line): the
  // numbers are written as JSON.stringify writes them, so its text is what the exporter writes.
  const canonical = lines.map((line) => {
    try {
      const result = parseEventFromText(JSON.parse(line), line);
      return result.ok ? JSON.stringify(result.event) : undefined;
    } catch {
      return undefined;
    }
  });
  const expected = canonical.map((c) => c !== undefined);
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "schema-agreement-"));
    file = join(dir, "events.jsonl");
    writeFileSync(file, `${lines.join("\n")}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const disagreements = (invalidLines: Iterable<number>) => {
    const invalid = new Set(invalidLines);
    return lines
      .map((line, i) => ({ line, expected: expected[i], got: !invalid.has(i + 1) }))
      .filter((r) => r.got !== r.expected)
      .slice(0, 5);
  };

  it("the lines hold both verdicts", () => {
    expect(expected.filter(Boolean).length).toBeGreaterThan(300);
    expect(expected.filter((v) => !v).length).toBeGreaterThan(300);
    // Each line is one line.
    expect(lines.every((l) => !l.includes("\n"))).toBe(true);
  });

  it.each([0, 2])(
    "validateEvents, aggregateEvents and exportEvents, %i workers",
    async (workers) => {
      const tuning = { workers, segmentBytes: 16_384 };
      for (const run of ["validate", "aggregate", "export"] as const) {
        const bad: number[] = [];
        const onDiagnostic = (d: { severity: string; line: number }) => {
          if (d.severity === "error") bad.push(d.line);
        };
        if (run === "validate") await validateEvents({ inputs: [file], onDiagnostic }, tuning);
        if (run === "aggregate") await aggregateEvents({ inputs: [file], onDiagnostic }, tuning);
        if (run === "export") {
          const output = join(dir, `out-${workers}.jsonl`);
          await exportEvents({ inputs: [file], format: "jsonl", output, onDiagnostic }, tuning);
          const written = readFileSync(output, "utf8")
            .split("\n")
            .filter((l) => l !== "");
          // Each event as parseEvent makes it: the same duplicate key wins, the same timestamp.
          expect(written).toEqual(canonical.filter((c) => c !== undefined));
        }
        expect([run, disagreements(bad)]).toEqual([run, []]);
      }
    },
  );

  it("scanEvents: its visitors receive parseEvent's events, and nothing else", async () => {
    const bad: number[] = [];
    const seen: string[] = [];
    await scanEvents(
      {
        inputs: [file],
        onDiagnostic: (d) => {
          if (d.severity === "error") bad.push(d.line);
        },
      },
      [{ event: (e) => seen.push(JSON.stringify(e)) }],
    );
    expect(disagreements(bad)).toEqual([]);
    expect(seen).toEqual(canonical.filter((c) => c !== undefined));
  });

  it.each(["0", "2"])("the CLI's validate, --workers %s", async (workers) => {
    const diagnostics = join(dir, `diagnostics-${workers}.jsonl`);
    const result = await runBin([
      "validate",
      "--input",
      file,
      "--workers",
      workers,
      "--diagnostics",
      diagnostics,
    ]);
    expect(result.code).toBe(3);
    const bad = readFileSync(diagnostics, "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l))
      .filter((d) => d.severity === "error")
      .map((d) => d.line as number);
    expect(disagreements(bad)).toEqual([]);
  });
});
