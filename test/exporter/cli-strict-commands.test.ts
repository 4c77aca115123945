import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ETL_FILES } from "../../src/exporter/index.js";
import { runBin } from "../helpers/run-bin.js";
import { recordSample } from "../helpers/sample-events.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("--strict on every command that reads", () => {
  // docs/cli.md, --strict: "Stop at the first invalid line …; print it, exit non-zero, write no
  // output (an existing output stays as it was)", for every command but compact.
  it.each([
    ["validate", () => [] as string[]],
    ["summary", () => [] as string[]],
    ["aggregate", (out: string) => ["-o", join(out, "a.json")]],
    ["report", (out: string) => ["-o", join(out, "r.html")]],
    ["etl", (out: string) => ["--output-dir", out]],
  ])(
    "%s --strict: exit 3 at the first invalid line, its outputs as they were",
    async (command, outputs) => {
      const input = tempDir();
      await recordSample(input);
      writeFileSync(join(input, "user.jsonl"), "{bad\n", { flag: "a" });
      writeFileSync(join(input, "zzz.jsonl"), "not json either\n");
      const out = tempDir();
      const previous = ["a.json", "r.html", ...Object.values(ETL_FILES)];
      for (const name of previous) writeFileSync(join(out, name), `previous ${name}`);
      const run = await runBin([command, "-i", input, ...outputs(out), "--strict"]);
      expect(run.code).toBe(3);
      expect(run.stdout).toBe("");
      const said = run.stderr.split("\n").filter((line) => line.includes("invalid_json"));
      expect(said).toHaveLength(1);
      expect(said[0]).toMatch(
        new RegExp(`^error: ${join(input, "user.jsonl")}:\\d+: invalid_json: .*\\(--strict\\)$`),
      );
      expect(readdirSync(out).sort()).toEqual([...previous].sort());
      for (const name of previous)
        expect(readFileSync(join(out, name), "utf8")).toBe(`previous ${name}`);
    },
  );
});
