import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandGlob } from "../../src/exporter/plan/glob.js";
import { runCli } from "../helpers/cli.js";
import { eventLine } from "../helpers/event-lines.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("the ** walk", () => {
  it("produces only paths that exist: a literal folder after ** invents no g/b/b/x.jsonl", async () => {
    const root = tempDir();
    mkdirSync(join(root, "g/b"), { recursive: true });
    writeFileSync(join(root, "g/b/x.jsonl"), `${eventLine()}\n`);
    expect(expandGlob(join(root, "g/**/b/x.jsonl"))).toEqual([join(root, "g/b/x.jsonl")]);
    const run = await runCli(["validate", "-i", join(root, "g/**/b/x.jsonl"), "--strict"]);
    expect(run.stderr).not.toContain("unreadable_file");
    expect(run.code).toBe(0);
  });

  it("reads each directory once however many ** a pattern holds (a 25-level tree, 7 **)", () => {
    const root = tempDir();
    let dir = root;
    for (let depth = 0; depth < 25; depth++) {
      writeFileSync(join(dir, `f${depth}.jsonl`), "");
      dir = join(dir, `d${depth}`);
      mkdirSync(dir);
    }
    let reads = 0;
    const counting = (path: string) => {
      reads++;
      return readdirSync(path, { withFileTypes: true });
    };
    const matches = expandGlob(join(root, "**/**/**/**/**/**/**/*.jsonl"), counting);
    expect(matches).toHaveLength(25);
    // 26 directories (the root and 25 levels), each read once.
    expect(reads).toBeLessThanOrEqual(26);
  });
});
