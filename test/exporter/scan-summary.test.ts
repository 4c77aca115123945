// The summary a run prints on stderr (docs/cli.md, "Diagnostics"): the counts, the counts by
// code, and the first five diagnostics with file:line, then how many more there are.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
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
    expect(lines.at(-1)).toBe("  … and 3 more diagnostics (--diagnostics FILE writes them all)");
  });
});
