// Every side that judges a line gives the same verdict on it: the committed JSON Schema (as
// ajv reads it, and as Python's and Java's validators read its patterns), the zod schema
// (`parseEvent`, with and without its fast path), the Tracker, and the exporter (library and
// CLI, in this thread and in worker threads). Named cases: each line on which two sides once
// disagreed, and its neighbours. The differences no JSON Schema can express are listed apart
// (docs/schema.md, "What the JSON Schema cannot say") and held here in their one direction.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateEvents } from "../../src/exporter/index.js";
import { parseEvent, timestampHasZone } from "../../src/schema/index.js";
import { parseEventWithSchema } from "../../src/schema/parse-event.js";
import { Tracker } from "../../src/tracker/index.js";
import { AGREED, CORE, SCHEMA_CANNOT_SAY } from "../helpers/agreement-cases.js";
import { runBin } from "../helpers/run-bin.js";
import { committedEventSchema, schemaValidator } from "../helpers/schema-validators.js";

const ALL = [...AGREED, ...SCHEMA_CANNOT_SAY];
const cannotSay = new Set(SCHEMA_CANNOT_SAY);
const DIALECTS = ["ecma", "python", "java"] as const;

describe("the JSON Schema, as each language's validator reads it", () => {
  const validators = DIALECTS.map((d) => [d, schemaValidator(d)] as const);
  it.each(ALL)("$name", (c) => {
    const value = JSON.parse(c.line);
    for (const [dialect, validate] of validators) {
      // The schema accepts what it cannot refuse; everything else as agreed.
      expect([dialect, validate(value)]).toEqual([dialect, cannotSay.has(c) ? true : c.valid]);
    }
  });
});

describe("docs/schema.md", () => {
  it("lists every kind of line the JSON Schema takes and the exporter refuses", () => {
    const docs = readFileSync(new URL("../../docs/schema.md", import.meta.url), "utf8");
    const section = docs.slice(docs.indexOf("**What the JSON Schema cannot say.**"));
    // Each kind of SCHEMA_CANNOT_SAY, by the words of its entry.
    const kinds = {
      surrogate: "**Lone UTF-16 surrogates**",
      depth: "**Depth.**",
      year: "**The year after the offset.**",
    };
    for (const c of SCHEMA_CANNOT_SAY) {
      const kind = c.name.includes("surrogate")
        ? "surrogate"
        : c.name.includes("depth")
          ? "depth"
          : "year";
      expect([c.name, section.includes(kinds[kind])]).toEqual([c.name, true]);
    }
  });
});

describe("the JSON Schema's patterns", () => {
  // `\d` is any Unicode digit to Python's `re` (the schema once used it); lookaround and `\u`
  // escapes do not compile in Go's RE2; `\w`, `\s` and `\b` differ between dialects.
  it("use only what ECMA-262, Python, Java and Go read alike", () => {
    const patterns: string[] = [];
    const walk = (node: unknown): void => {
      if (typeof node !== "object" || node === null) return;
      for (const [key, value] of Object.entries(node)) {
        if (key === "pattern" && typeof value === "string") patterns.push(value);
        else walk(value);
      }
    };
    walk(committedEventSchema());
    expect(patterns.length).toBeGreaterThanOrEqual(6);
    for (const pattern of patterns) {
      expect([pattern, /\\[dDwWsSbBupP]|\(\?<?[=!]/.test(pattern)]).toEqual([pattern, false]);
    }
  });
  it("and the schema needs no format checker", () => {
    expect(JSON.stringify(committedEventSchema())).not.toContain('"format"');
  });
});

describe("a line over the line limit", () => {
  it("passes the JSON Schema and zod, and is line_too_long to the exporter (documented)", async () => {
    const line = line1MiB();
    expect(schemaValidator("ecma")(JSON.parse(line))).toBe(true);
    expect(parseEvent(JSON.parse(line)).ok).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), "schema-agreement-"));
    try {
      const file = join(dir, "big.jsonl");
      writeFileSync(file, `${line}\n`);
      const codes: string[] = [];
      await validateEvents({ inputs: [file], onDiagnostic: (d) => codes.push(d.code) });
      expect(codes).toEqual(["line_too_long"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const docs = readFileSync(new URL("../../docs/schema.md", import.meta.url), "utf8");
    expect(docs).toContain("**Line length.**");
  });
});

function line1MiB(): string {
  const base = JSON.stringify({ ...CORE, payload: { s: "" } });
  return base.replace('"s":""', `"s":"${"x".repeat(1024 * 1024 + 1 - base.length)}"`);
}

describe("the zod schema", () => {
  it.each(ALL)("$name", (c) => {
    const value = JSON.parse(c.line);
    expect(parseEventWithSchema(value).ok).toBe(c.valid);
    expect(parseEvent(value).ok).toBe(c.valid);
  });
});

describe("the Tracker", () => {
  let dir: string;
  let tracker: Tracker;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "schema-agreement-"));
    tracker = new Tracker({ directory: dir, flushIntervalMs: 0 });
  });
  afterAll(async () => {
    await tracker.close();
    rmSync(dir, { recursive: true, force: true });
  });
  // What it can be asked to record: the five core fields of version 1, nothing else.
  const recordable = ALL.filter((c) => {
    const value = JSON.parse(c.line);
    const keys = Object.keys(value);
    return (
      keys.length === 5 &&
      keys.every((k) => k in CORE) &&
      value.schema_version === "telemetry_event_v1" &&
      c.line.split('"channel"').length === 2 &&
      c.line.split('"payload"').length === 2
    );
  });
  it.each(recordable)("$name", (c) => {
    const { channel, event, timestamp, payload } = JSON.parse(c.line);
    let accepted = true;
    try {
      tracker.record(channel, event, payload, { timestamp });
    } catch {
      accepted = false;
    }
    // Valid in a file (read as UTC, with a warning), but refused by the Tracker, where the app can
    // say which zone it meant (docs/sdk.md).
    const zoneless = typeof timestamp === "string" && !timestampHasZone(timestamp);
    expect(accepted).toBe(c.valid && !zoneless);
  });
});

describe("the exporter", () => {
  let dir: string;
  let file: string;
  const expected = ALL.map((c) => c.valid);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "schema-agreement-"));
    mkdirSync(dir, { recursive: true });
    file = join(dir, "events.jsonl");
    // One case a line: the JSON whitespace case has a CR inside, which a line may hold.
    writeFileSync(file, `${ALL.map((c) => c.line).join("\n")}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const verdicts = (invalidLines: Iterable<number>) => {
    const invalid = new Set(invalidLines);
    return ALL.map((_, i) => !invalid.has(i + 1));
  };

  it.each([0, 2])("validateEvents, %i workers", async (workers) => {
    const bad: number[] = [];
    const { scan } = await validateEvents(
      { inputs: [file], onDiagnostic: (d) => d.severity === "error" && bad.push(d.line) },
      { workers, segmentBytes: 4096 },
    );
    expect(scan.totals.valid + scan.totals.invalid).toBe(ALL.length);
    const got = verdicts(bad);
    expect(ALL.filter((_, i) => got[i] !== expected[i]).map((c) => c.name)).toEqual([]);
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
    expect(result.code).toBe(3); // invalid records found
    const bad = readFileSync(diagnostics, "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l))
      .filter((d) => d.severity === "error")
      .map((d) => d.line as number);
    const got = verdicts(bad);
    expect(ALL.filter((_, i) => got[i] !== expected[i]).map((c) => c.name)).toEqual([]);
  });
});
