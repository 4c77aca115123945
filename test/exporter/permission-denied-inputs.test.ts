// Inputs this user may not read, with real processes and real modes (as root the CLI runs as
// `nobody`: root never sees EACCES). An input file there but unreadable is the error
// `unreadable_file` (docs/cli.md: "cannot be opened or read"), never the warning `vanished_file`
// that fails nothing: `validate` said "all records are valid" (exit 0) over a directory whose
// unreadable file it had not read. A directory that cannot be listed is an error naming it.
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { recordSample } from "../helpers/sample-events.js";
import { tempDir } from "../helpers/temp-dir.js";
import {
  deny,
  incrementalEtl,
  restoreModes,
  runBinUnprivileged,
  UNPRIVILEGED,
  unprivilegedDir,
} from "../helpers/unprivileged.js";

afterEach(restoreModes);

async function input(): Promise<{ root: string; dir: string }> {
  const root = tempDir();
  const dir = join(root, "in");
  await recordSample(dir, 9);
  unprivilegedDir(root);
  return { root, dir };
}

describe.runIf(UNPRIVILEGED)("an input this user may not read", () => {
  it("a file in a listed directory: validate exits 1 with unreadable_file, not vanished_file", async () => {
    const { dir } = await input();
    const file = join(dir, "user.jsonl");
    deny(file, 0o000, 0o644);
    const run = await runBinUnprivileged(["validate", "-i", dir]);
    expect(run.stderr).toContain(`error ${file}: unreadable_file: cannot be read (EACCES)`);
    expect(run.stderr).not.toContain("vanished_file");
    expect(run.code).toBe(1);
  });

  it("export --strict stops on it, naming it; the previous output stays byte for byte", async () => {
    const { root, dir } = await input();
    const output = join(root, "out.json");
    writeFileSync(output, "previous\n");
    unprivilegedDir(root);
    const file = join(dir, "user.jsonl");
    deny(file, 0o000, 0o644);
    const run = await runBinUnprivileged(["export", "-i", dir, "-o", output, "--strict"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(file);
    expect(run.stderr).toContain("EACCES");
    expect(readFileSync(output, "utf8")).toBe("previous\n");
  });

  it("a file named by --input: unreadable_file says permission, not 'broken link or vanished'", async () => {
    const { dir } = await input();
    const file = join(dir, "user.jsonl");
    deny(file, 0o000, 0o644);
    const run = await runBinUnprivileged(["validate", "-i", file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error ${file}: unreadable_file: cannot be read (EACCES)`);
  });

  it("a directory it may list but not enter: each file unreadable_file, exit 1", async () => {
    const { dir } = await input();
    deny(dir, 0o644);
    const run = await runBinUnprivileged(["validate", "-i", dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("unreadable_file: 3");
    expect(run.stderr).toContain(
      `error ${join(dir, "user.jsonl")}: unreadable_file: cannot be read`,
    );
  });

  it("a directory it may not list: exit 1 naming it, no output made", async () => {
    const { root, dir } = await input();
    deny(dir, 0o000);
    const output = join(root, "out.json");
    const run = await runBinUnprivileged(["export", "-i", dir, "-o", output]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`error: cannot list the input directory ${dir} (EACCES)\n`);
    expect(existsSync(output)).toBe(false);
  });

  it("a glob through a directory it may not list: exit 1 naming it, not 'no input exists'", async () => {
    const { root, dir } = await input();
    deny(dir, 0o311);
    const run = await runBinUnprivileged(["validate", "-i", join(dir, "*.jsonl")]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`error: cannot list the input directory ${dir} (EACCES)\n`);
    // A `**` glob reaching it as well: its files are not silently left out.
    const deep = await runBinUnprivileged(["validate", "-i", join(root, "**", "*.jsonl")]);
    expect(deep.code).toBe(1);
    expect(deep.stderr).toContain(`cannot list the input directory ${dir} (EACCES)`);
  });

  it("etl --incremental: the file is unreadable_file, the run goes on; once readable, every event once", async () => {
    const { root, dir } = await input();
    const out = join(root, "analytics");
    const file = join(dir, "user.jsonl");
    const first = await runBinUnprivileged(incrementalEtl(dir, out));
    expect(first.code).toBe(0);
    const line = readFileSync(file, "utf8").split("\n")[0] as string;
    writeFileSync(file, `${line}\n`, { flag: "a" });
    deny(file, 0o000, 0o644);
    const denied = await runBinUnprivileged(incrementalEtl(dir, out));
    expect(denied.stderr).toContain(`error ${file}: unreadable_file: cannot be read (EACCES)`);
    expect(denied.stderr).not.toContain("permission denied");
    expect(denied.code).toBe(0);
    chmodSync(file, 0o644);
    const again = await runBinUnprivileged(incrementalEtl(dir, out));
    expect(again.code).toBe(0);
    const events = JSON.parse(readFileSync(join(out, "telemetry_events.json"), "utf8"));
    const lines = ["user", "simulation", "system"]
      .map(
        (c) =>
          readFileSync(join(dir, `${c}.jsonl`), "utf8")
            .split("\n")
            .filter(Boolean).length,
      )
      .reduce((a, b) => a + b);
    expect(events).toHaveLength(lines);
  });
});
