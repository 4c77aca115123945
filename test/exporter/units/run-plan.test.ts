import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_INPUTS, DEFAULT_MAX_LINE_BYTES } from "../../../src/exporter/contracts.js";
import {
  checkedInputs,
  checkOutputs,
  type OutputRequest,
} from "../../../src/exporter/plan/output-checks.js";
import { planRead, planRun } from "../../../src/exporter/plan/run-plan.js";
import { eventLine } from "../../helpers/event-lines.js";
import { tempDir } from "../../helpers/temp-dir.js";

function inputDir(): string {
  const dir = tempDir();
  writeFileSync(join(dir, "user.jsonl"), `${eventLine()}\n`);
  return dir;
}

const file = (path: string, option = ["output"]): OutputRequest => ({ path, kind: "file", option });

describe("planRead", () => {
  it("applies every default in one place", () => {
    const read = planRead({});
    expect(read).toMatchObject({
      inputs: DEFAULT_INPUTS,
      strict: false,
      maxLineBytes: DEFAULT_MAX_LINE_BYTES,
      workers: undefined,
      segmentBytes: 4 * 1024 * 1024,
    });
  });

  it("resolves the inputs once, into the plan", () => {
    const dir = inputDir();
    const read = planRead({ inputs: [dir, join(dir, "gone.jsonl")] });
    expect(read.resolved).toMatchObject({
      files: [join(dir, "user.jsonl")],
      missing: [join(dir, "gone.jsonl")],
    });
    // Each file identified as it was listed, found by listing the directory.
    expect(read.resolved.listed?.get(join(dir, "user.jsonl"))).toMatchObject({ found: true });
  });

  it.each([
    [{ maxLineBytes: 0 }, {}, "maxLineBytes"],
    [{ maxLineBytes: 1.5 }, {}, "maxLineBytes"],
    [{}, { tuning: { workers: -1 } }, "workers"],
    [{ filters: { until: "later" } }, {}, "until"],
  ] as const)("refuses %j %j, naming %s", (options, mode, name) => {
    expect(() => planRead(options, mode)).toThrow(
      expect.objectContaining({ code: "usage", path: expect.arrayContaining([name]) }),
    );
  });

  it("refuses a missing input under strict, before anything is read", () => {
    const gone = join(tempDir(), "gone");
    expect(() => planRead({ inputs: [gone], strict: true })).toThrow(
      expect.objectContaining({ code: "input_error", path: ["inputs"] }),
    );
  });
});

describe("output checks", () => {
  it("refuse an output file that is an input, also through a link", () => {
    const dir = inputDir();
    const link = join(tempDir(), "link.jsonl");
    symlinkSync(join(dir, "user.jsonl"), link);
    const read = planRead({ inputs: [dir] });
    for (const path of [join(dir, "user.jsonl"), link]) {
      expect(() => checkOutputs(checkedInputs(read.resolved), [file(path)])).toThrow(
        expect.objectContaining({ code: "output_conflict", path: ["output"] }),
      );
    }
  });

  it("refuse an output directory that holds an input, and accept one beside", () => {
    const root = tempDir();
    const input = join(root, "in");
    mkdirSync(input);
    writeFileSync(join(input, "user.jsonl"), `${eventLine()}\n`);
    const inputs = checkedInputs(planRead({ inputs: [input] }).resolved);
    const directory = (path: string): OutputRequest => ({
      path,
      kind: "directory",
      option: ["output"],
    });
    expect(() => checkOutputs(inputs, [directory(root)])).toThrow(/holds the input/);
    expect(() => checkOutputs(inputs, [directory(input)])).toThrow(/holds the input/);
    expect(() => checkOutputs(inputs, [directory(join(root, "out"))])).not.toThrow();
  });

  it("refuse to overwrite another file the run reads", () => {
    const saved = join(tempDir(), "aggregates.json");
    writeFileSync(saved, "{}");
    const inputs = checkedInputs({ files: [], missing: [] }, [{ path: saved, option: ["from"] }]);
    expect(() => checkOutputs(inputs, [file(saved)])).toThrow(
      expect.objectContaining({ message: expect.stringContaining("`from` report") }),
    );
  });

  it("create each output's parent directory", () => {
    const nested = join(tempDir(), "a", "b", "out.json");
    checkOutputs(checkedInputs({ files: [], missing: [] }), [file(nested)]);
    expect(() => mkdirSync(join(nested, ".."))).toThrow(/EEXIST/);
  });

  it("check the diagnostics file with the run's other outputs", () => {
    const dir = inputDir();
    expect(() => planRun({ inputs: [dir], diagnosticsFile: join(dir, "user.jsonl") })).toThrow(
      expect.objectContaining({ code: "output_conflict", path: ["diagnosticsFile"] }),
    );
    const run = planRun({ inputs: [dir], diagnosticsFile: join(tempDir(), "d.jsonl") }, [
      file(join(tempDir(), "o.json")),
    ]);
    expect(run.outputs.map((o) => o.option)).toEqual([["output"], ["diagnosticsFile"]]);
  });
});
