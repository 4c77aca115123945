import { appendFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { withoutStartUpWork } from "../bench/environment.js";
import { equalOutputs } from "../bench/equal-outputs.js";
import { generate } from "../bench/generate.js";
import { checkIncremental } from "../bench/incremental-check.js";
import { lineCount, trailingLines } from "../bench/inputs.js";
import { runOnce } from "../bench/measure.js";
import { meetsTarget } from "../bench/targets.js";
import { tempDir } from "./helpers/temp-dir.js";

// The guards that keep the bench's incremental and rotation rows honest: a run timed as
// incremental must be one, and its outputs a full run's. Real CLI runs on real files.
const root = fileURLToPath(new URL("../", import.meta.url));
const bin = join(root, "bin/telemetry-exporter.cjs");

async function grownInput() {
  const dir = tempDir();
  const input = join(dir, "in");
  const output = join(dir, "out");
  await generate({ directory: input, events: 2000 });
  const live = join(input, "user.jsonl");
  const growth = trailingLines(live, 0.05);
  const etl = [bin, "etl", "--incremental", "-i", input, "--output-dir", output];
  await runOnce(process.execPath, [...etl, "--full", "-q"]);
  return { dir, input, output, live, growth, etl, most: 2 * growth.length + 1000 };
}

describe("bench: the incremental check", () => {
  it("accepts an incremental run that read only what was appended", async () => {
    const { live, growth, etl, most } = await grownInput();
    appendFileSync(live, growth);
    const run = await runOnce(process.execPath, etl);
    expect(() => checkIncremental("append", run, most, lineCount(growth))).not.toThrow();
    expect(() => checkIncremental("append", run, most, lineCount(growth) + 1)).toThrow(
      /new events, \d+ expected/,
    );
  });

  it("refuses a run that fell back to a full one", async () => {
    const { output, live, growth, etl, most } = await grownInput();
    rmSync(join(output, ".etl-state.json"));
    appendFileSync(live, growth);
    const run = await runOnce(process.execPath, etl);
    expect(() => checkIncremental("append", run, most, lineCount(growth))).toThrow(
      /not an incremental run:[\s\S]*incremental: full run \(no state yet\)/,
    );
  });

  it("refuses a run that read a rotated file again", async () => {
    const { input, live, growth, etl, most } = await grownInput();
    // Rotated and compressed, but its first line edited: not the file the state read, so this
    // run reads it whole, still an incremental run.
    const text = readFileSync(live, "utf8").replace('"event":"', '"event":"x');
    writeFileSync(join(input, "user.jsonl.1.gz"), gzipSync(text));
    rmSync(live);
    writeFileSync(live, growth);
    const run = await runOnce(process.execPath, etl);
    expect(() => checkIncremental("compressed", run, most, lineCount(growth))).toThrow(
      /read [\d.]+ KB, more than what is new/,
    );
  });
});

describe("bench: outputs against a full run's", () => {
  it("accepts an incremental run's outputs, and refuses them with one event more", async () => {
    const { dir, input, output, live, growth, etl } = await grownInput();
    appendFileSync(live, growth);
    await runOnce(process.execPath, etl);
    await expect(equalOutputs(bin, input, output, join(dir, "full"))).resolves.toBeUndefined();
    const events = join(output, "telemetry_events.json");
    const text = readFileSync(events, "utf8");
    const first = text.split("\n")[1] as string;
    writeFileSync(events, text.replace("[\n", `[\n${first}\n`));
    await expect(equalOutputs(bin, input, output, join(dir, "full"))).rejects.toThrow(
      /incremental events .* differ/,
    );
  });

  it("refuses aggregates that differ", async () => {
    const { dir, input, output, live, growth } = await grownInput();
    appendFileSync(live, growth);
    await expect(equalOutputs(bin, input, output, join(dir, "full"))).rejects.toThrow(
      /incremental aggregates .* differ/,
    );
  });
});

describe("bench: targets", () => {
  it("judges ratio and RSS clauses, and leaves other targets to their row", () => {
    expect(meetsTarget("<= 1.2x", 1.19, null)).toBe(true);
    expect(meetsTarget("<= 1.2x", 1.21, null)).toBe(false);
    expect(meetsTarget("<= 1.5x, RSS < 250 MB", 1.4, 230)).toBe(true);
    // 240 MiB is 251.7 MB.
    expect(meetsTarget("<= 1.5x, RSS < 250 MB", 1.4, 240)).toBe(false);
    expect(meetsTarget("<= floor + 20 ms", 1, 10)).toBeUndefined();
    expect(meetsTarget("<= 1.2x", undefined, null)).toBeUndefined();
  });
});

describe("bench: the measured processes' environment", () => {
  it("leaves out NODE_EXTRA_CA_CERTS, names it, and keeps the rest", () => {
    const machine = { PATH: "/usr/bin", NODE_EXTRA_CA_CERTS: "/etc/ssl/certs/ca.crt" };
    const { env, removed } = withoutStartUpWork(machine);
    expect(removed).toEqual(["NODE_EXTRA_CA_CERTS"]);
    expect(env).toEqual({ PATH: "/usr/bin" });
    expect(machine.NODE_EXTRA_CA_CERTS).toBe("/etc/ssl/certs/ca.crt");
    expect(withoutStartUpWork({ PATH: "/usr/bin" }).removed).toEqual([]);
  });

  it("spares a measured process the certificate bundle the variable names", async () => {
    // Node reads the bundle before any script runs; one it cannot find gets a warning on stderr.
    const bundle = join(tempDir(), "missing.pem");
    const script = join(root, "bench/ref/empty.cjs");
    const machine = { ...process.env, NODE_EXTRA_CA_CERTS: bundle };
    const kept = await runOnce(process.execPath, [script], machine);
    const left = await runOnce(process.execPath, [script], withoutStartUpWork(machine).env);
    expect(kept.stderr).toMatch(/Ignoring extra certs/);
    expect(left.stderr).not.toMatch(/extra certs/);
  });
});
