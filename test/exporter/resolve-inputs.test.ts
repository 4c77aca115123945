import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveInputs } from "../../src/exporter/plan/resolve-inputs.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

function tree(): string {
  const root = tempDir();
  for (const path of [
    "a/user.jsonl",
    "a/system.jsonl",
    "a/notes.txt",
    "b/user.jsonl.gz",
    "b/deep/sim.jsonl",
    "c1/x.jsonl",
    "c2/x.jsonl",
    ".hidden/h.jsonl",
  ]) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), "");
  }
  return root;
}

describe("--input resolution", () => {
  it.each([
    ["a directory: its .jsonl and .jsonl.gz files only", ["a"], ["a/system.jsonl", "a/user.jsonl"]],
    ["a file, whatever its name", ["a/notes.txt"], ["a/notes.txt"]],
    ["* within a segment", ["a/*.jsonl"], ["a/system.jsonl", "a/user.jsonl"]],
    [
      "? and [...]",
      ["c?/x.jsonl", "[ab]/user.jsonl*"],
      ["a/user.jsonl", "b/user.jsonl.gz", "c1/x.jsonl", "c2/x.jsonl"],
    ],
    [
      "** at any depth, hidden directories skipped",
      ["**/*.jsonl"],
      ["a/system.jsonl", "a/user.jsonl", "b/deep/sim.jsonl", "c1/x.jsonl", "c2/x.jsonl"],
    ],
    [
      "duplicates once, sorted",
      ["a/user.jsonl", "a", "a/*.jsonl"],
      ["a/system.jsonl", "a/user.jsonl"],
    ],
  ])("%s", (_name, inputs, expected) => {
    const root = tree();
    const { files, missing } = resolveInputs(inputs.map((i) => join(root, i)));
    expect(files.map((f) => f.slice(root.length + 1))).toEqual(expected);
    expect(missing).toEqual([]);
  });

  it("lists an input, or a glob matching nothing, as missing", () => {
    const root = tree();
    const { missing } = resolveInputs([join(root, "nope"), join(root, "*.csv")]);
    expect(missing).toEqual([join(root, "nope"), join(root, "*.csv")]);
  });

  it("validate exits 1 on an unreadable input file", async () => {
    const root = tempDir();
    mkdirSync(join(root, "dir.jsonl"));
    const run = await runCli(["validate", "-i", root]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("unreadable_file");
  });
});
