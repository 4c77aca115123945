import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type Diagnostic, scanEvents } from "../../src/exporter/index.js";
import { tempDir } from "../helpers/temp-dir.js";

const dir = fileURLToPath(new URL("../fixtures/malformed/", import.meta.url));
const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")) as {
  maxLineBytes: number;
  cases: Record<
    string,
    { diagnostics: { line: number | null; code: string }[]; valid: number | null; blank: number }
  >;
};

async function scanOne(path: string, maxLineBytes = expected.maxLineBytes) {
  const diagnostics: Diagnostic[] = [];
  const scan = await scanEvents(
    { inputs: [path], maxLineBytes, onDiagnostic: (d) => diagnostics.push(d) },
    [],
  );
  return { scan, diagnostics };
}

describe("malformed-input corpus (test/fixtures/malformed)", () => {
  const names = Object.keys(expected.cases);

  it("has at least 40 kinds", () => {
    expect(names.length).toBeGreaterThanOrEqual(40);
  });

  it.each(names)("%s", async (name) => {
    const want = expected.cases[name];
    if (want === undefined) throw new Error("no expectation");
    const path = join(dir, name);
    const { scan, diagnostics } = await scanOne(path);
    expect(
      diagnostics.map((d) => ({
        line: want.diagnostics.find((w) => w.code === d.code)?.line === null ? null : d.line,
        code: d.code,
      })),
    ).toEqual(want.diagnostics);
    for (const d of diagnostics) {
      expect(d.file).toBe(path);
      expect(d.message.length).toBeGreaterThan(0);
    }
    const [file] = scan.files;
    if (file === undefined) throw new Error("file not scanned");
    if (want.valid !== null) expect(file.valid).toBe(want.valid);
    expect(file.blank).toBe(want.blank);
    expect(file.lines).toBe(file.valid + file.invalid + file.blank + file.filtered);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("never holds a too-long line: a 64 MiB line is reported, the next line still read", async () => {
    const path = join(tempDir(), "huge.jsonl");
    const ok = readFileSync(join(dir, "complete-last-line-no-newline.jsonl"), "utf8").split(
      "\n",
    )[0];
    writeFileSync(path, `${"x".repeat(64 * 1024 * 1024)}\n${ok}\n`);
    const before = process.memoryUsage().arrayBuffers;
    const { scan, diagnostics } = await scanOne(path, 1024 * 1024);
    expect(diagnostics.map((d) => [d.line, d.code])).toEqual([[1, "line_too_long"]]);
    expect(scan.totals.valid).toBe(1);
    // The reader keeps at most max-line-bytes of a line; the 64 MiB never sit in memory at once.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024);
  });

  it("reads a payload with 100k keys and a valid 5 MiB line when --max-line-bytes allows", async () => {
    const path = join(tempDir(), "wide.jsonl");
    const keys = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]));
    const base = {
      schema_version: "telemetry_event_v1",
      channel: "user",
      event: "e",
      timestamp: "2025-03-01T00:00:00Z",
    };
    writeFileSync(
      path,
      `${JSON.stringify({ ...base, payload: keys })}\n${JSON.stringify({ ...base, payload: { s: "x".repeat(5 * 1024 * 1024) } })}\n`,
    );
    const { scan, diagnostics } = await scanOne(path, 8 * 1024 * 1024);
    expect(diagnostics).toEqual([]);
    expect(scan.totals.valid).toBe(2);
    const limited = await scanOne(path, 1024 * 1024);
    expect(limited.diagnostics.map((d) => d.code)).toEqual(["line_too_long", "line_too_long"]);
  });

  it("counts a million blank lines without complaint", async () => {
    const path = join(tempDir(), "blank.jsonl");
    writeFileSync(path, "\n".repeat(1_000_000));
    const { scan, diagnostics } = await scanOne(path);
    expect(diagnostics).toEqual([]);
    expect(scan.totals).toMatchObject({ lines: 1_000_000, blank: 1_000_000, valid: 0 });
  });

  it.each([
    ["inside a directory input", (root: string) => [root]],
    [
      "named as inputs",
      (root: string) => ["dir.jsonl", "broken.jsonl", "fifo.jsonl"].map((n) => join(root, n)),
    ],
  ])(
    "reports a directory, a broken symlink and a FIFO %s without hanging",
    async (_how, inputs) => {
      const root = tempDir();
      mkdirSync(join(root, "dir.jsonl"));
      writeFileSync(join(root, "dir.jsonl", "inner.jsonl"), "{}\n");
      symlinkSync(join(root, "nowhere"), join(root, "broken.jsonl"));
      execFileSync("mkfifo", [join(root, "fifo.jsonl")]);
      const diagnostics: Diagnostic[] = [];
      const scan = await scanEvents(
        { inputs: inputs(root), onDiagnostic: (d) => diagnostics.push(d) },
        [],
      );
      const named = inputs(root).length > 1;
      expect(diagnostics.map((d) => [d.file.slice(root.length + 1), d.code])).toEqual([
        ["broken.jsonl", "unreadable_file"],
        ...(named
          ? [["dir.jsonl/inner.jsonl", "schema_violation"]]
          : [["dir.jsonl", "unreadable_file"]]),
        ["fifo.jsonl", "unreadable_file"],
      ]);
      expect(scan.totals.lines).toBe(named ? 1 : 0);
    },
  );

  it("ignores other files in a directory input, and reads .jsonl and .jsonl.gz in sorted order", async () => {
    const root = tempDir();
    const ok = readFileSync(join(dir, "complete-last-line-no-newline.jsonl"), "utf8").split(
      "\n",
    )[0];
    writeFileSync(join(root, "b.jsonl"), `${ok}\n`);
    writeFileSync(join(root, "README.txt"), "not telemetry\n");
    writeFileSync(join(root, ".DS_Store"), "\0\0\0");
    writeFileSync(join(root, "a.jsonl.gz"), readFileSync(join(dir, "gzipped.jsonl.gz")));
    const { scan } = await scanOne(root);
    expect(scan.files.map((f) => f.path)).toEqual([
      join(root, "a.jsonl.gz"),
      join(root, "b.jsonl"),
    ]);
    expect(scan.totals.valid).toBe(3);
  });
});
