// `--strict --incremental`: the run stops at the first invalid line among the data it reads (what
// was appended since the last run), and the previous outputs and state stay byte for byte.
import { spawnSync } from "node:child_process";
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runEtl } from "../../src/exporter/index.js";
import { partitionedExportArgs, runCli } from "../helpers/cli.js";
import { eventLine } from "../helpers/event-lines.js";
import { tempDir } from "../helpers/temp-dir.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

function lines(n: number, from = 0): string {
  return Array.from(
    { length: n },
    (_, i) => `${eventLine({ event: `e${from + i}`, payload: { i: from + i } })}\n`,
  ).join("");
}

/** Every file under `dir` (hidden ones included) and its bytes. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), readFileSync(path).toString("base64"));
  }
  return files;
}

describe("etl --strict --incremental", () => {
  it("stops at the first invalid new line (exit 3); outputs and state stay byte-identical", async () => {
    const input = tempDir();
    const out = tempDir();
    const file = join(input, "user.jsonl");
    writeFileSync(file, lines(5));
    const args = ["etl", "-i", input, "--output-dir", out, "--incremental", "--strict", "-q"];
    expect((await runCli(args)).code).toBe(0);
    const before = snapshot(out);
    expect([...before.keys()]).toContain(".etl-state.json");
    appendFileSync(file, `${lines(2, 5)}{"not json\n${lines(2, 7)}`);
    const failed = await runCli(args);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toMatch(/error: .*user\.jsonl:8: invalid_json: .*\(--strict\)/);
    expect(snapshot(out)).toEqual(before);
    // Fixed in place, the input resumes from the same saved place: every good line lands once.
    writeFileSync(file, lines(9));
    const fixed = await runCli(args);
    expect(fixed.code).toBe(0);
    const events = JSON.parse(readFileSync(join(out, "telemetry_events.json"), "utf8"));
    expect(events.map((e: { event: string }) => e.event)).toEqual(
      Array.from({ length: 9 }, (_, i) => `e${i}`),
    );
  });

  it("judges only the new data: invalid lines read by an earlier lenient run do not stop it", async () => {
    const input = tempDir();
    const out = tempDir();
    const file = join(input, "user.jsonl");
    writeFileSync(file, `${lines(2)}{bad\n`);
    const options = { inputs: [input], outputDir: out, incremental: true };
    await runEtl(options);
    appendFileSync(file, lines(2, 2));
    const result = await runEtl({ ...options, strict: true });
    expect(result.incremental).toMatchObject({ mode: "incremental", eventsAdded: 2 });
    // The report still counts the earlier run's invalid line: it describes all the data.
    expect(result.scan.totals.invalid).toBe(1);
  });

  it("the library says which line stopped it, as invalid_records", async () => {
    const input = tempDir();
    const out = tempDir();
    writeFileSync(join(input, "user.jsonl"), lines(1));
    const options = { inputs: [input], outputDir: out, incremental: true, strict: true };
    await runEtl(options);
    appendFileSync(join(input, "user.jsonl"), "[]\n");
    await expect(runEtl(options)).rejects.toMatchObject({ code: "invalid_records" });
  });
});

describe("export --partition-by --strict --incremental", () => {
  it("stops at the first invalid new line; the directory and its state stay byte-identical", async () => {
    const input = tempDir();
    const file = join(input, "user.jsonl");
    writeFileSync(file, lines(4));
    const out = join(tempDir(), "parts");
    const args = [...partitionedExportArgs(input, out), "--incremental", "--strict", "-q"];
    expect((await runCli(args)).code).toBe(0);
    const before = snapshot(out);
    expect([...before.keys()]).toContain(".export-state.json");
    appendFileSync(file, `${lines(1, 4)}{"schema_version":"nope"}\n`);
    const failed = await runCli(args);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toContain("user.jsonl:6");
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(join(out, ".."))).toEqual(["parts"]);
  });
});

describe("make telemetry-etl ETL_FLAGS=--strict", () => {
  // The command make would run (make -n), run for real in a directory laid out like the
  // repository (bin linked, the shipped sample data copied), so the repository's reports/ stay.
  function makeCommand(): string {
    const env = { ...process.env, MAKEFLAGS: "", MFLAGS: "", MAKELEVEL: "" };
    const plan = spawnSync(
      "make",
      ["--no-print-directory", "-n", "-C", root, "telemetry-etl", "ETL_FLAGS=--strict"],
      { encoding: "utf8", env },
    );
    expect(plan.status).toBe(0);
    const line = plan.stdout.split("\n").find((l) => l.includes("telemetry-exporter"));
    expect(line).toContain("--incremental");
    expect(line).toContain("--strict");
    return line ?? "";
  }

  it("runs twice on the sample data, then stops (exit 3) at a bad appended line", () => {
    const command = makeCommand();
    const cwd = tempDir();
    symlinkSync(join(root, "bin"), join(cwd, "bin"));
    mkdirSync(join(cwd, "reports"));
    cpSync(join(root, "reports", "telemetry"), join(cwd, "reports", "telemetry"), {
      recursive: true,
    });
    const run = () => spawnSync("sh", ["-c", command], { cwd, encoding: "utf8" });
    const first = run();
    expect(first.status, first.stderr).toBe(0);
    expect(run().status).toBe(0);
    const analytics = join(cwd, "reports", "analytics");
    const before = snapshot(analytics);
    appendFileSync(join(cwd, "reports", "telemetry", "user.jsonl"), "{oops\n");
    const failed = run();
    expect(failed.status).toBe(3);
    expect(failed.stderr).toContain("invalid_json");
    expect(snapshot(analytics)).toEqual(before);
  });
});
