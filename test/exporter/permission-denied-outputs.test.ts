// Outputs where permissions deny the run something, with real processes and real modes (as root
// the CLI runs as `nobody`: root never sees EACCES). Exit 1 naming the file, the previous
// outputs byte for byte as they were, no temp file left behind (docs/cli.md: atomic outputs).
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
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

// Every file under `dir` with its bytes.
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    try {
      files[name] = readFileSync(join(dir, name), "latin1");
    } catch {
      files[name] = "(directory)";
    }
  }
  return files;
}

async function etlDir(): Promise<{ input: string; out: string }> {
  const root = tempDir();
  const input = join(root, "in");
  await recordSample(input, 12);
  unprivilegedDir(root);
  const out = join(root, "analytics");
  const first = await runBinUnprivileged(incrementalEtl(input, out));
  expect(first.code).toBe(0);
  return { input, out };
}

describe.runIf(UNPRIVILEGED)("an output this user may not write", () => {
  it("etl --incremental under a stale lock it may not remove: exit 1 at once, naming it; no busy loop past --lock-wait", async () => {
    const { input, out } = await etlDir();
    const lock = join(out, ".etl.lock");
    const token = "0123456789abcdef";
    mkdirSync(lock);
    // A run of this host long dead (no such pid), an hour ago.
    const holder = { pid: 999_999_999, host: hostname(), token, since: "2025-01-01T00:00:00Z" };
    writeFileSync(join(lock, token), `${JSON.stringify(holder)}\n`);
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(join(lock, token), hourAgo, hourAgo);
    unprivilegedDir(lock);
    deny(lock, 0o555);
    const before = snapshot(out);
    const started = Date.now();
    const run = await runBinUnprivileged(
      ["etl", "--incremental", "-i", input, "--output-dir", out, "--lock-wait", "1"],
      10_000,
    );
    expect(run.signal).toBe(null);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`error: cannot remove the stale lock ${lock} (EACCES)\n`);
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(snapshot(out)).toEqual(before);
  });

  it("etl --incremental into a directory it may not write: exit 1 naming the lock, outputs as they were", async () => {
    const { input, out } = await etlDir();
    writeFileSync(join(input, "user.jsonl"), readFileSync(join(input, "user.jsonl")), {
      flag: "a",
    });
    const before = snapshot(out);
    deny(out, 0o555);
    const run = await runBinUnprivileged(incrementalEtl(input, out));
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`error: cannot create the lock ${join(out, ".etl.lock")} (EACCES)\n`);
    expect(snapshot(out)).toEqual(before);
  });

  it("export into a directory it may not write: exit 1 naming the output, the previous one intact", async () => {
    const { input, out } = await etlDir();
    const output = join(out, "telemetry_events.json");
    const before = snapshot(out);
    deny(out, 0o555);
    const run = await runBinUnprivileged(["export", "-i", input, "-o", output]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error: cannot write beside ${output} (EACCES)`);
    expect(snapshot(out)).toEqual(before);
  });

  it("--diagnostics into a directory it may not write: exit 1 naming it, the export not replaced", async () => {
    const { input, out } = await etlDir();
    const denied = join(out, "locked");
    mkdirSync(denied);
    unprivilegedDir(denied);
    deny(denied, 0o555);
    const before = snapshot(out);
    const output = join(out, "telemetry_events.json");
    const diagnostics = join(denied, "d.jsonl");
    const run = await runBinUnprivileged([
      "export",
      "-i",
      input,
      "-o",
      output,
      "--diagnostics",
      diagnostics,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error: cannot write beside ${diagnostics} (EACCES)`);
    expect(snapshot(out)).toEqual(before);
  });

  it("compact on a dataset it may not write: exit 1 naming its lock, every file as it was", async () => {
    const root = tempDir();
    const input = join(root, "in");
    await recordSample(input, 12);
    unprivilegedDir(root);
    const dataset = join(root, "ds");
    const exportArgs = ["export", "-i", input, "-f", "parquet", "--partition-by", "day"];
    const args = [...exportArgs, "-o", dataset, "--writer", "w1", "--incremental"];
    expect((await runBinUnprivileged(args)).code).toBe(0);
    writeFileSync(join(input, "user.jsonl"), readFileSync(join(input, "user.jsonl")), {
      flag: "a",
    });
    expect((await runBinUnprivileged(args)).code).toBe(0);
    const store = join(root, ".ds.dataset");
    const before = snapshot(store);
    deny(store, 0o555);
    const run = await runBinUnprivileged(["compact", dataset]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`error: cannot create the lock ${join(store, "lock")} (EACCES)\n`);
    expect(snapshot(store)).toEqual(before);
  });
});
