// docs/cli.md: a failed `validate` ends with one `error:` line that says what was wrong and
// where the first problem is, under --quiet too (which hides the summary): a CI log that shows
// only the failed step still says why. Exit 3 for invalid records, 1 for missing inputs only.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const VALID =
  '{"schema_version":"telemetry_event_v1","channel":"app","event":"e","timestamp":"2025-01-01T00:00:00.000Z","payload":{}}';
// Valid, with a warning each (timestamp_without_zone).
const ZONELESS =
  '{"schema_version":"telemetry_event_v1","channel":"app","event":"e","timestamp":"2025-01-01T00:00:00","payload":{}}';

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("validate's failure line", () => {
  it("under --quiet: the one line on stderr names the count and the first invalid line; exit 3", async () => {
    const input = tempDir();
    const file = join(input, "app.jsonl");
    writeFileSync(file, `${VALID}\n{bad\n${VALID}\n[]\n`);
    const run = await runCli(["validate", "-q", "-i", input]);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe("");
    // JSON.parse's own words after "invalid JSON:" differ between Node versions.
    expect(run.stderr).toMatch(
      new RegExp(
        `^error: validation failed: 2 invalid records \\(first: ${literal(file)}:2: invalid_json: invalid JSON: [^\n]+\\)\n$`,
      ),
    );
  });

  it("under --quiet: missing inputs alone are named; exit 1", async () => {
    const input = tempDir();
    writeFileSync(join(input, "app.jsonl"), `${VALID}\n`);
    const gone = join(input, "gone.jsonl");
    const run = await runCli(["validate", "-q", "-i", input, "-i", gone]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `error: validation failed: 1 missing input (first: ${gone}: input does not exist)\n`,
    );
  });

  it("without --quiet: the summary, then the failure line, last", async () => {
    const input = tempDir();
    const gone = join(input, "gone.jsonl");
    writeFileSync(join(input, "app.jsonl"), `${VALID}\n`);
    const run = await runCli(["validate", "-i", input, "-i", gone]);
    expect(run.code).toBe(1);
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe("read 1 file, 1 line: 1 valid, 0 invalid, 0 blank, 1 warning");
    expect(lines.at(-1)).toBe(
      `error: validation failed: 1 missing input (first: ${gone}: input does not exist)`,
    );
  });

  it("names the first error even when more warnings than the summary samples came before it", async () => {
    const input = tempDir();
    const file = join(input, "app.jsonl");
    writeFileSync(file, `${Array(30).fill(ZONELESS).join("\n")}\n{bad\n`);
    const run = await runCli(["validate", "-q", "-i", input]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      new RegExp(
        `^error: validation failed: 1 invalid record \\(first: ${literal(file)}:31: invalid_json: `,
      ),
    );
  });

  it("says nothing more when every record is valid", async () => {
    const input = tempDir();
    writeFileSync(join(input, "app.jsonl"), `${ZONELESS}\n`);
    const run = await runCli(["validate", "-q", "-i", input]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
  });
});
