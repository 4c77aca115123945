// `validate` is the CI check: inputs that exist but hold no file to read (a producer that wrote
// nothing, or wrote `.ndjson`) must fail it, not pass as "all 0 records are valid". The other
// commands still run on such inputs (an empty Tracker directory before its first event).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isTelemetryError } from "../../src/errors/index.js";
import { exportEvents, validateEvents } from "../../src/exporter/index.js";
import { runBin } from "../helpers/run-bin.js";
import { tempDir } from "../helpers/temp-dir.js";

const LINE =
  '{"schema_version":"telemetry_event_v1","channel":"app","event":"e","timestamp":"2025-01-01T00:00:00.000Z","payload":{}}\n';

// A directory of events under names the exporter does not list.
function otherNames(): string {
  const dir = tempDir();
  writeFileSync(join(dir, "app.ndjson"), LINE);
  writeFileSync(join(dir, "app.JSONL"), LINE);
  writeFileSync(join(dir, "README.txt"), "notes\n");
  return dir;
}

describe("validate with inputs that hold no file", () => {
  it("the API throws input_error, path [inputs], naming the inputs", async () => {
    const dir = otherNames();
    const error = await validateEvents({ inputs: [dir] }).catch((e: unknown) => e);
    expect(isTelemetryError(error, "input_error")).toBe(true);
    expect(error).toMatchObject({ path: ["inputs"] });
    expect((error as Error).message).toBe(
      `no input file found in ${dir}: nothing to check; \`inputs\` takes a directory of *.jsonl files, a file, or a glob`,
    );
  });

  it("the bin exits 1 saying so, quiet or not, and names the flag", async () => {
    const dir = otherNames();
    const empty = tempDir();
    for (const args of [
      ["validate", "-i", dir],
      ["validate", "-i", dir, "-q"],
      ["validate", "-i", empty, "--strict"],
    ]) {
      const run = await runBin(args);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain(`error: no input file found in ${args[2]}: nothing to check;`);
      expect(run.stderr).toContain("--input takes a directory of *.jsonl files");
    }
  });

  it("a file of the right kind with no records is something to check: exit 0", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "app.jsonl"), "");
    expect((await validateEvents({ inputs: [dir] })).ok).toBe(true);
    const run = await runBin(["validate", "-i", dir]);
    expect({ code: run.code, stdout: run.stdout }).toEqual({
      code: 0,
      stdout: "all 0 records are valid\n",
    });
  });

  it("a file named on its own is read whatever its name; one found among inputs suffices", async () => {
    const dir = otherNames();
    const named = await validateEvents({ inputs: [join(dir, "app.ndjson")] });
    expect({ ok: named.ok, valid: named.scan.totals.valid }).toEqual({ ok: true, valid: 1 });
    const other = tempDir();
    writeFileSync(join(other, "app.jsonl"), LINE);
    const both = await validateEvents({ inputs: [dir, other] });
    expect({ ok: both.ok, valid: both.scan.totals.valid }).toEqual({ ok: true, valid: 1 });
  });

  it("an export of such inputs still runs (an empty Tracker directory): exit 0, zero events", async () => {
    const dir = otherNames();
    const output = join(tempDir(), "e.json");
    const result = await exportEvents({ inputs: [dir], output, format: "json" });
    expect(result.scan.totals.files).toBe(0);
  });
});
