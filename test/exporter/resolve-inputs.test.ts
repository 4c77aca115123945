import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveInputs } from "../../src/exporter/plan/resolve-inputs.js";
import { runCli } from "../helpers/cli.js";
import { eventLine } from "../helpers/event-lines.js";
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

  it("reads one file once, however it is spelled: relative, absolute, ./, through a linked directory", () => {
    const root = tree();
    symlinkSync(join(root, "a"), join(root, "link"));
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const { files } = resolveInputs([
        "a",
        join(root, "a"),
        "./a/user.jsonl",
        "link",
        join(root, "link/*.jsonl"),
      ]);
      // The first spelling is the one reports name.
      expect(files).toEqual(["a/system.jsonl", "a/user.jsonl"]);
    } finally {
      process.chdir(cwd);
    }
  });

  it("export counts the events of a file given twice once (-i in -i $PWD/in, a linked folder)", async () => {
    const root = tempDir();
    mkdirSync(join(root, "in"));
    writeFileSync(join(root, "in/a.jsonl"), `${eventLine()}\n${eventLine()}\n${eventLine()}\n`);
    symlinkSync(join(root, "in"), join(root, "via"));
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const run = await runCli([
        "export",
        "-i",
        "in",
        "-i",
        join(root, "in"),
        "-i",
        "via",
        "-f",
        "jsonl",
        "-o",
        "out.jsonl",
      ]);
      expect(run.code).toBe(0);
      expect(readFileSync(join(root, "out.jsonl"), "utf8").trim().split("\n")).toHaveLength(3);
    } finally {
      process.chdir(cwd);
    }
  });

  it("validate exits 1 on an unreadable input file", async () => {
    const root = tempDir();
    mkdirSync(join(root, "dir.jsonl"));
    const run = await runCli(["validate", "-i", root]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("unreadable_file");
  });
});
