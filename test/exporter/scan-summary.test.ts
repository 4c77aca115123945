// The summary a run prints on stderr (docs/cli.md, "Diagnostics"): the counts, the counts by
// code, and the first five diagnostics with file:line, then how many more there are; and the
// --diagnostics file that holds them all.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatQuietLosses } from "../../src/exporter/cli/scan-summary.js";
import type { ScanResult } from "../../src/exporter/contracts.js";
import { runCli } from "../helpers/cli.js";
import { runBin } from "../helpers/run-bin.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("the summary on stderr", () => {
  it("counts by code, shows the first five diagnostics with file:line, and counts the rest", async () => {
    const input = tempDir();
    const file = join(input, "app.jsonl");
    writeFileSync(
      file,
      `${["{bad", "{bad", "[]", "{bad", "{bad", "{bad", "[]", "{bad"].join("\n")}\n`,
    );
    const run = await runCli(["validate", "-i", input]);
    expect(run.code).toBe(3);
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe("read 1 file, 8 lines: 0 valid, 8 invalid, 0 blank, 0 warnings");
    expect(lines).toContain("  invalid_json: 6");
    expect(lines).toContain("  schema_violation: 2");
    const shown = lines.filter((l) => l.startsWith("  error "));
    expect(shown.map((l) => /^ {2}error (.*?:\d+): /.exec(l)?.[1])).toEqual(
      [1, 2, 3, 4, 5].map((n) => `${file}:${n}`),
    );
    expect(lines.at(-2)).toBe("  … and 3 more diagnostics (--diagnostics FILE writes them all)");
    // validate ends with why it failed (validate-failure.test.ts).
    expect(lines.at(-1)).toMatch(/^error: validation failed: 8 invalid records \(first: /);
  });

  it("under --quiet, counts the files not read whole (vanished_file, unreadable_file)", () => {
    const vanished = (file: string) => ({
      ...{ file, line: 0, code: "vanished_file", severity: "warning" },
      message: "deleted after the run listed it; its events are not in this run",
    });
    const scanOf = (count: number, samples: object[]) =>
      ({ diagnostics: { byCode: { vanished_file: count }, samples } }) as unknown as ScanResult;
    // The line docs/cli.md shows (--quiet).
    expect(formatQuietLosses(scanOf(2, [vanished("/in/a.jsonl"), vanished("/in/b.jsonl")]))).toBe(
      "warning: vanished_file: 2 files deleted after the run listed them, before they were read; their events are not in this run (first: /in/a.jsonl)\n",
    );
    expect(formatQuietLosses(scanOf(0, []))).toBe("");
    const unreadable = (file: string) => ({
      ...{ file, line: 0, code: "unreadable_file", severity: "error" },
      message: "open failed (EMFILE)",
    });
    const both = {
      diagnostics: {
        byCode: { vanished_file: 1, unreadable_file: 2 },
        samples: [unreadable("/in/c.jsonl"), vanished("/in/a.jsonl"), unreadable("/in/d.jsonl")],
      },
    } as unknown as ScanResult;
    // The lines docs/cli.md shows (--quiet), a file's and two files'.
    expect(formatQuietLosses(both).split("\n")).toEqual([
      "warning: vanished_file: 1 file deleted after the run listed it, before it was read; its events are not in this run (first: /in/a.jsonl)",
      "error: unreadable_file: 2 files could not be read to their end; what was not read of them is not in this run (first: /in/c.jsonl: open failed (EMFILE))",
      "",
    ]);
  });

  it("counts a file's warnings with the lines' ones", async () => {
    const input = tempDir();
    writeFileSync(join(input, "app.jsonl"), '{"schema_version":"telemetry_event_v1"}\n');
    const run = await runCli(["validate", "-i", input, "-i", join(input, "gone.jsonl")]);
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe("read 1 file, 1 line: 0 valid, 1 invalid, 0 blank, 1 warning");
    expect(lines).toContain("  missing_input: 1");
  });

  // docs/cli.md: "--diagnostics FILE: Write every diagnostic as JSON Lines to FILE", each
  // `{ file, line, code, severity, message, path?, excerpt? }`; what the summary leaves out is there.
  it("--diagnostics FILE writes them all, one JSON object a line, in the documented shape", async () => {
    const input = tempDir();
    const file = join(input, "app.jsonl");
    const lines = ["{bad", "{bad", "[]", "{bad", "{bad", "{bad", "[]", "{bad"];
    writeFileSync(file, `${lines.join("\n")}\n`);
    const out = join(tempDir(), "d.jsonl");
    const run = await runBin(["validate", "-i", input, "--diagnostics", out]);
    expect(run.code).toBe(3);
    const written = readFileSync(out, "utf8");
    expect(written.endsWith("\n")).toBe(true);
    const diagnostics = written
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(diagnostics.map((d) => [d.file, d.line, d.code, d.severity])).toEqual(
      lines.map((text, i) => [
        file,
        i + 1,
        text === "[]" ? "schema_violation" : "invalid_json",
        "error",
      ]),
    );
    const keys = ["file", "line", "code", "severity", "message", "path", "excerpt"];
    for (const d of diagnostics) {
      expect(Object.keys(d).filter((k) => !keys.includes(k))).toEqual([]);
      expect(typeof d.message).toBe("string");
    }
  });
});
