import { execFileSync, spawn } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { aggregateEvents, exportEvents, runEtl, validateEvents } from "../../src/exporter/index.js";
import { runCli } from "../helpers/cli.js";
import { recordSample } from "../helpers/sample-events.js";
import { tempDir } from "../helpers/temp-dir.js";

async function sample(): Promise<{ input: string; events: number }> {
  const input = tempDir();
  const events = (await recordSample(input, 12)).length;
  return { input, events };
}

const jsonLines = (text: string) => text.split("\n").filter((l) => l !== "").length;

describe("outputs that would be read back as input", () => {
  it("refuses an output inside an input directory (CLI exit 2, API path)", async () => {
    const { input } = await sample();
    const output = join(input, "all.jsonl");
    const run = await runCli(["export", "-i", input, "-f", "jsonl", "-o", output, "-q"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `error: --output ${output} is inside the input directory ${input}`,
    );
    expect(existsSync(output)).toBe(false);
    await expect(exportEvents({ inputs: [input], output, format: "jsonl" })).rejects.toMatchObject({
      code: "output_conflict",
      path: ["output"],
    });
    // Deeper inside counts too, and so does an ETL output directory.
    const deep = await runCli(["aggregate", "-i", input, "-o", join(input, "sub", "a.json")]);
    expect(deep.code).toBe(2);
    const etl = await runCli(["etl", "-i", input, "--output-dir", join(input, "out"), "-q"]);
    expect(etl.code).toBe(2);
    expect(etl.stderr).toContain("error: --output-dir ");
    await expect(runEtl({ inputs: [input], outputDir: join(input, "out") })).rejects.toMatchObject({
      code: "output_conflict",
      path: ["outputDir"],
    });
  });

  it("refuses an output that matches an input glob, even before it exists (exit 2)", async () => {
    const { input } = await sample();
    const pattern = join(input, "*.jsonl");
    const output = join(input, "export.jsonl");
    const run = await runCli(["export", "-i", pattern, "-f", "jsonl", "-o", output]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`matches the input pattern ${pattern}`);
    // A relative pattern and a relative output are compared in the same frame.
    const rel = relative(process.cwd(), join(input, "**", "*.jsonl"));
    const nested = relative(process.cwd(), join(input, "a", "b", "x.jsonl"));
    const again = await runCli(["export", "-i", rel, "-f", "jsonl", "-o", nested]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("matches the input pattern");
    // A partitioned export directory that the pattern could reach inside is refused too.
    const wide = join(input, "**");
    await expect(
      exportEvents({
        inputs: [wide],
        output: join(input, "parts"),
        format: "parquet",
        partitionBy: "day",
      }),
    ).rejects.toMatchObject({ code: "output_conflict" });
    // A pattern that cannot match what a partitioned export holds lets it sit beside the inputs.
    const jsonlOnly = join(input, "**", "*.jsonl");
    await expect(
      exportEvents({
        inputs: [jsonlOnly],
        output: join(input, "parts"),
        format: "parquet",
        partitionBy: "day",
      }),
    ).resolves.toMatchObject({ events: 14 });
    // An output beside the inputs that the pattern does not match is fine.
    const beside = join(input, "export.json");
    const ok = await runCli(["export", "-i", pattern, "-o", beside, "-q"]);
    expect(ok.code).toBe(0);
  });
});

describe("outputs named twice", () => {
  it("refuses --diagnostics naming the --output file (CLI exit 2, API path)", async () => {
    const { input } = await sample();
    const out = join(tempDir(), "x.json");
    const run = await runCli(["export", "-i", input, "-o", out, "--diagnostics", out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error: --diagnostics ${out} is also --output ${out}`);
    expect(existsSync(out)).toBe(false);
    await expect(
      aggregateEvents({ inputs: [input], output: out, diagnosticsFile: out }),
    ).rejects.toMatchObject({ code: "output_conflict", path: ["diagnosticsFile"] });
    // Through a symlinked directory the two spellings are still one file.
    const dir = tempDir();
    symlinkSync(dirname(out), join(dir, "link"));
    const linked = await runCli([
      "aggregate",
      "-i",
      input,
      "-o",
      out,
      "--diagnostics",
      join(dir, "link", "x.json"),
    ]);
    expect(linked.code).toBe(2);
    const etlDir = tempDir();
    const etl = await runCli([
      "etl",
      "-i",
      input,
      "--output-dir",
      etlDir,
      "--diagnostics",
      join(etlDir, "telemetry_aggregates.json"),
    ]);
    expect(etl.code).toBe(2);
    await expect(
      validateEvents({ inputs: [input], diagnosticsFile: join(input, "d.jsonl") }),
    ).rejects.toMatchObject({ path: ["diagnosticsFile"] });
  });
});

describe("-o values", () => {
  it("-o with no value or an empty value is a usage error (exit 2)", async () => {
    const { input } = await sample();
    const cwdDefault = join("reports", "analytics", "telemetry_aggregates.json");
    const before = existsSync(cwdDefault) ? statSync(cwdDefault).mtimeMs : undefined;
    for (const args of [
      ["export", "-i", input, "-o"],
      ["export", "-i", input, "-o", "-q"],
      ["aggregate", "-i", input, "-o", "-q"],
      ["export", "-i", input, "--diagnostics"],
    ]) {
      const run = await runCli(args);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toContain("needs a value");
    }
    const empty = await runCli(["export", "-i", input, "-o", ""]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("error: --output cannot be an empty path");
    const emptyDir = await runCli(["etl", "-i", input, "--output-dir", ""]);
    expect(emptyDir.code).toBe(2);
    await expect(exportEvents({ inputs: [input], output: "" })).rejects.toMatchObject({
      code: "usage",
      path: ["output"],
    });
    // The default was not written instead.
    expect(existsSync(cwdDefault) ? statSync(cwdDefault).mtimeMs : undefined).toBe(before);
  });

  it("--output - (with a space) writes to stdout, as the README shows", async () => {
    const { input, events } = await sample();
    const run = await runCli(["export", "-i", input, "-f", "jsonl", "--output", "-", "-q"]);
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout)).toBe(events);
    const short = await runCli(["export", "-i", input, "-o", "-", "-q"]);
    expect((JSON.parse(short.stdout) as unknown[]).length).toBe(events);
  });
});

describe("outputs that are not regular files", () => {
  it("writes a character device as a stream and never replaces it (/dev/null)", async () => {
    const { input } = await sample();
    // First on a device of our own where we may make one (root): if it were replaced, /dev/null
    // would never be tried.
    const own = join(tempDir(), "null");
    let mine = false;
    try {
      execFileSync("mknod", [own, "c", "1", "3"], { stdio: "ignore" });
      mine = true;
    } catch {
      // Not root: /dev/null cannot be replaced by us anyway, but must still be written.
    }
    const targets = mine ? [own, "/dev/null"] : ["/dev/null"];
    for (const target of targets) {
      const run = await runCli(["export", "-i", input, "-f", "jsonl", "-o", target, "-q"]);
      expect(run.code, run.stderr).toBe(0);
      expect(lstatSync(target).isCharacterDevice()).toBe(true);
      const agg = await runCli(["aggregate", "-i", input, "-o", target, "-q"]);
      expect(agg.code, agg.stderr).toBe(0);
      const diagnostics = await runCli(["validate", "-i", input, "--diagnostics", target, "-q"]);
      expect(diagnostics.code, diagnostics.stderr).toBe(0);
      expect(lstatSync(target).isCharacterDevice()).toBe(true);
    }
    // The API writes a device the same way.
    await expect(
      exportEvents({ inputs: [input], output: targets[0] as string, format: "jsonl" }),
    ).resolves.toMatchObject({ events: 14 });
    expect(lstatSync(targets[0] as string).isCharacterDevice()).toBe(true);
    expect(readdirSync("/dev").some((name) => name.startsWith(".null."))).toBe(false);
  });

  it("writes a FIFO as a stream to its reader and leaves the FIFO in place", async () => {
    const { input, events } = await sample();
    const fifo = join(tempDir(), "pipe");
    execFileSync("mkfifo", [fifo]);
    const reader = spawn("cat", [fifo], { stdio: ["ignore", "pipe", "inherit"] });
    let received = "";
    reader.stdout.on("data", (chunk) => {
      received += chunk;
    });
    const done = new Promise((resolve) => reader.on("close", resolve));
    const run = await runCli(["export", "-i", input, "-f", "jsonl", "-o", fifo, "-q"]);
    // A writer that replaced the FIFO would leave the reader waiting: end it either way.
    const timer = setTimeout(() => reader.kill(), 10_000);
    await done;
    clearTimeout(timer);
    expect(run.code, run.stderr).toBe(0);
    expect(jsonLines(received)).toBe(events);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it("replaces a symlink's target atomically and keeps the link", async () => {
    const { input, events } = await sample();
    const dir = tempDir();
    const target = join(dir, "real", "events.jsonl");
    mkdirSync(join(dir, "real"));
    writeFileSync(target, "old\n");
    const link = join(dir, "latest.jsonl");
    symlinkSync(target, link);
    const run = await runCli(["export", "-i", input, "-f", "jsonl", "-o", link, "-q"]);
    expect(run.code, run.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(jsonLines(readFileSync(target, "utf8"))).toBe(events);
    // Through the API too, and for the aggregate report.
    await aggregateEvents({ inputs: [input], output: link });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(target, "utf8"))).toMatchObject({ totals: { valid: events } });
    // Nothing but the target (and the link) is left behind.
    expect(readdirSync(join(dir, "real"))).toEqual(["events.jsonl"]);
    expect(readdirSync(dir).sort()).toEqual(["latest.jsonl", "real"]);
  });

  it("refuses a symlink whose target does not exist (exit 2)", async () => {
    const { input } = await sample();
    const dir = tempDir();
    const link = join(dir, "dangling.json");
    symlinkSync(join(dir, "missing", "x.json"), link);
    const run = await runCli(["export", "-i", input, "-o", link, "-q"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("is a symbolic link whose target does not exist");
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });
});
