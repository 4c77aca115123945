import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

// A file name and a line that would retitle the window, clear the screen, recolour and reverse
// the text if they reached a terminal raw.
const EVIL_NAME = "evil\n\x1b[31mred\u202e.jsonl";
const EVIL_LINE = "x\x1b]0;pwned\x07\x1b[2J";
const GOOD =
  '{"schema_version":"telemetry_event_v1","channel":"user","event":"e","timestamp":"2025-03-01T10:00:00Z","payload":{}}';

// Every control (C0, C1, DEL) and bidi-override character, except the newline ending each line.
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

// Each line the CLI writes must be one of its own: a newline inside a file name must not start
// a line that looks like another message.
function expectSafe(text: string): void {
  expect(text).not.toMatch(RAW);
  for (const line of text.split("\n")) expect(line.startsWith("\x1b[31mred")).toBe(false);
}

function evilInput(): string {
  const input = tempDir();
  writeFileSync(join(input, EVIL_NAME), `${GOOD}\n${EVIL_LINE}\n`);
  return input;
}

describe("untrusted text on the terminal is shown with visible escapes", () => {
  it.each([
    ["validate", (input: string, _out: string) => ["validate", "-i", input]],
    ["export", (input: string, out: string) => ["export", "-i", input, "-o", join(out, "e.json")]],
    [
      "aggregate",
      (input: string, out: string) => ["aggregate", "-i", input, "-o", join(out, "a.json")],
    ],
    [
      "etl --incremental",
      (input: string, out: string) => ["etl", "-i", input, "--output-dir", out, "--incremental"],
    ],
  ])("%s: file names and excerpts of bad lines in the diagnostics", async (_name, args) => {
    const run = await runCli(args(evilInput(), tempDir()));
    expect(run.stderr).toContain("evil\\u{a}\\u{1b}[31mred\\u{202e}.jsonl:2");
    expect(run.stderr).toContain("\\u{1b}]0;pwned\\u{7}");
    expectSafe(run.stderr);
    expectSafe(run.stdout);
  });

  it("error messages naming an input (--strict)", async () => {
    const run = await runCli([
      "export",
      "-i",
      evilInput(),
      "-o",
      join(tempDir(), "e.json"),
      "--strict",
    ]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("\\u{1b}[31mred\\u{202e}");
    expectSafe(run.stderr);
  });

  it("a missing input named in a warning and in the error of validate", async () => {
    const missing = join(tempDir(), "gone\x1b[2J\u2066.jsonl");
    const run = await runCli(["validate", "-i", missing]);
    expect(run.stderr).toContain("gone\\u{1b}[2J\\u{2066}.jsonl");
    expectSafe(run.stderr);
  });

  it("the usage error of an unknown command", async () => {
    const run = await runCli(["\x1b[2Jexport", "-i", "x"]);
    expect(run.code).toBe(2);
    expectSafe(run.stderr);
  });

  it("the lines written on stdout name the output as given, escaped", async () => {
    const out = join(tempDir(), "out\x1b[2J.json");
    const run = await runCli(["export", "-i", evilInput(), "-o", out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("out\\u{1b}[2J.json");
    expectSafe(run.stdout);
  });
});

describe("invisible characters in a message", () => {
  // A byte-order mark inside a file (two files concatenated) was reported as
  // "Unexpected token '<U+FEFF>'", the character unseen (a new user's find).
  it("a BOM mid-file is shown as \\u{feff}, as are a zero-width space and a word joiner", async () => {
    const input = tempDir();
    writeFileSync(join(input, "app.jsonl"), `${GOOD}\n\ufeff${GOOD}\n\u200b\n\u2060x\n`);
    const run = await runCli(["validate", "-i", input]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("\\u{feff}");
    expect(run.stderr).toContain("\\u{200b}");
    expect(run.stderr).toContain("\\u{2060}");
    expect(run.stderr).not.toMatch(/[\u200b\u2060\ufeff]/u);
  });
});
