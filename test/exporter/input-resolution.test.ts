// The plan resolves the inputs once per run, and every output check and the read use that one
// resolution: counted here by wrapping the resolver every module imports.
import { join } from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../helpers/cli.js";
import { recordSample } from "../helpers/sample-events.js";
import { tempDir } from "../helpers/temp-dir.js";

const calls = vi.hoisted(() => ({ count: 0 }));

vi.mock("../../src/exporter/plan/resolve-inputs.js", async (importOriginal) => {
  const original =
    await importOriginal<typeof import("../../src/exporter/plan/resolve-inputs.js")>();
  return {
    ...original,
    resolveInputs: (inputs: readonly string[]) => {
      calls.count++;
      return original.resolveInputs(inputs);
    },
  };
});

beforeEach(() => {
  calls.count = 0;
});

describe("inputs are resolved once per run", () => {
  it.each([
    ["etl", ["--output-dir", "out"]],
    ["etl --diagnostics", ["--output-dir", "out", "--diagnostics", "diag.jsonl"]],
    ["etl --incremental", ["--output-dir", "out", "--incremental"]],
    ["report", ["--output", "r.html"]],
    ["aggregate -o", ["--output", "a.json"]],
    ["export", ["--output", "e.json"]],
    [
      "export parquet --partition-by --incremental",
      ["--output", "p", "--format", "parquet", "--partition-by", "day", "--incremental"],
    ],
    ["validate", []],
  ])("%s", async (name, flags) => {
    const input = tempDir();
    await recordSample(input, 12);
    const out = tempDir();
    const command = name.split(" ")[0] as string;
    const args = [command, "--input", input, "--quiet", ...flags].map((a) =>
      ["out", "diag.jsonl", "r.html", "a.json", "e.json", "p"].includes(a) ? join(out, a) : a,
    );
    const run = await runCli(args);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(calls.count).toBe(1);
  });
});
