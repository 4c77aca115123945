// An input that cannot be read (a FIFO, a broken link), or is missing, is exit 1 where the docs
// say so: for `validate` (docs/cli.md: "1 when an input is missing or unreadable"), and for any
// command under `--strict`, which writes nothing. Without either it is a diagnostic, and the
// run goes on. Real processes: the exit code is the bin's.
import { execFileSync } from "node:child_process";
import { existsSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runBin } from "../helpers/run-bin.js";
import { recordSample } from "../helpers/sample-events.js";
import { tempDir } from "../helpers/temp-dir.js";

// A readable input directory, and beside it a FIFO and a link to nothing, given as inputs.
async function inputs() {
  const input = tempDir();
  await recordSample(input, 5);
  const other = tempDir();
  const fifo = join(other, "fifo.jsonl");
  execFileSync("mkfifo", [fifo]);
  const broken = join(other, "broken.jsonl");
  symlinkSync(join(other, "nowhere.jsonl"), broken);
  return { input, unreadable: [fifo, broken] };
}

describe("an unreadable input", () => {
  it("validate: exit 1, naming each as unreadable_file", async () => {
    const { input, unreadable } = await inputs();
    const run = await runBin(["validate", "-i", input, ...unreadable.flatMap((p) => ["-i", p])]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("unreadable_file: 2");
    expect(run.stderr).toContain(`error ${unreadable[0]}: unreadable_file: is not a regular file`);
    expect(run.stderr).toContain(
      `error ${unreadable[1]}: unreadable_file: is a broken link or vanished`,
    );
  });

  it("validate: a missing input among readable ones is exit 1 as well, named as missing_input", async () => {
    const { input } = await inputs();
    const missing = join(tempDir(), "nope");
    const run = await runBin(["validate", "-i", input, "-i", missing]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`warning ${missing}: missing_input: input does not exist`);
  });

  it.each([0, 1])(
    "export --strict: exit 1 naming it, nothing written (input %i)",
    async (which) => {
      const { input, unreadable } = await inputs();
      const path = unreadable[which] as string;
      const output = join(tempDir(), "e.json");
      const run = await runBin(["export", "-i", input, "-i", path, "-o", output, "--strict"]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`^error: ${path}: .* \\(--strict\\)$`, "m"));
      expect(existsSync(output)).toBe(false);
    },
  );

  it("export without --strict: exit 0, the readable input exported", async () => {
    const { input, unreadable } = await inputs();
    const output = join(tempDir(), "e.json");
    const run = await runBin(["export", "-i", input, "-i", unreadable[1] as string, "-o", output]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("unreadable_file: 1");
    expect(existsSync(output)).toBe(true);
  });
});
