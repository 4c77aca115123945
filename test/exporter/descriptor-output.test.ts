import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { eventLine } from "../helpers/event-lines.js";
import { runBin } from "../helpers/run-bin.js";
import { tempDir } from "../helpers/temp-dir.js";

const bin = fileURLToPath(new URL("../../bin/telemetry-exporter.cjs", import.meta.url));
const LINES = `${eventLine({ event: "a" })}\n${eventLine({ event: "b" })}\n`;

function inputDir(): string {
  const input = tempDir();
  writeFileSync(join(input, "a.jsonl"), LINES);
  return input;
}

// A real shell with a real redirection, as a build script would run the CLI.
function sh(script: string, cwd: string, env: Record<string, string>): void {
  execFileSync("sh", ["-c", script], { cwd, env: { ...process.env, ...env }, stdio: "ignore" });
}

describe("outputs naming a descriptor (/dev/stdout, /dev/stderr, /dev/fd/N)", () => {
  it("-o /dev/stdout appends through the shell's >> to build.log: content and inode kept", () => {
    const dir = tempDir();
    const log = join(dir, "build.log");
    writeFileSync(log, "line 1\n");
    const inode = statSync(log).ino;
    sh(
      `( "$NODE" "$BIN" export -i "$IN" -f jsonl -o /dev/stdout -q; echo "after export: rc=$?" ) >> build.log 2>&1`,
      dir,
      { NODE: process.execPath, BIN: bin, IN: inputDir() },
    );
    expect(statSync(log).ino).toBe(inode);
    expect(readFileSync(log, "utf8")).toBe(`line 1\n${LINES}after export: rc=0\n`);
  });

  it("--diagnostics /dev/stderr and -o /dev/fd/3 write through descriptors the shell opened", () => {
    const dir = tempDir();
    const input = inputDir();
    writeFileSync(join(input, "a.jsonl"), `${LINES}not json\n`);
    writeFileSync(join(dir, "err.log"), "before\n");
    writeFileSync(join(dir, "three.log"), "3:\n");
    const inodes = [statSync(join(dir, "err.log")).ino, statSync(join(dir, "three.log")).ino];
    sh(
      `"$NODE" "$BIN" export -i "$IN" -f jsonl -o /dev/fd/3 --diagnostics /dev/stderr -q 2>>err.log 3>>three.log`,
      dir,
      { NODE: process.execPath, BIN: bin, IN: input },
    );
    expect([statSync(join(dir, "err.log")).ino, statSync(join(dir, "three.log")).ino]).toEqual(
      inodes,
    );
    expect(readFileSync(join(dir, "three.log"), "utf8")).toBe(`3:\n${LINES}`);
    const err = readFileSync(join(dir, "err.log"), "utf8");
    expect(err.startsWith("before\n")).toBe(true);
    expect(err).toContain('"code":"invalid_json"');
  });

  it("-o /proc/self/fd/3 appends through the descriptor the shell opened, as /dev/fd/3 does", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "three.log"), "3:\n");
    const inode = statSync(join(dir, "three.log")).ino;
    sh(`"$NODE" "$BIN" export -i "$IN" -f jsonl -o /proc/self/fd/3 -q 3>>three.log`, dir, {
      NODE: process.execPath,
      BIN: bin,
      IN: inputDir(),
    });
    expect(statSync(join(dir, "three.log")).ino).toBe(inode);
    expect(readFileSync(join(dir, "three.log"), "utf8")).toBe(`3:\n${LINES}`);
  });

  it("-o /dev/stdout into a pipe (a FIFO) works", async () => {
    const run = await runBin([
      "export",
      "-i",
      inputDir(),
      "-f",
      "jsonl",
      "-o",
      "/dev/stdout",
      "-q",
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(LINES);
  });

  // docs/cli.md: Parquet is refused on `-o -` (exit 2), but /dev/stdout is written through its
  // descriptor like any output: the same bytes as the file export, into a pipe.
  it("-f parquet -o /dev/stdout writes the Parquet file into a pipe; -o - is refused", async () => {
    const input = inputDir();
    const file = join(tempDir(), "e.parquet");
    expect((await runBin(["export", "-i", input, "-f", "parquet", "-o", file, "-q"])).code).toBe(0);
    const piped = spawnSync(
      process.execPath,
      [bin, "export", "-i", input, "-f", "parquet", "-o", "/dev/stdout", "-q"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    expect({ code: piped.status, stderr: piped.stderr.toString() }).toEqual({
      code: 0,
      stderr: "",
    });
    expect(Buffer.compare(piped.stdout, readFileSync(file))).toBe(0);
    const dash = await runBin(["export", "-i", input, "-f", "parquet", "-o", "-", "-q"]);
    expect({ code: dash.code, stdout: dash.stdout }).toEqual({ code: 2, stdout: "" });
    expect(dash.stderr).toBe(
      "error: Parquet cannot be written to a stream; give --output a file path (/dev/stdout writes it through standard output's descriptor)\n",
    );
  });

  it("a link elsewhere to a regular file is still replaced atomically at its target", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "t"));
    writeFileSync(join(dir, "t/out.jsonl"), "old\n");
    execFileSync("ln", ["-s", join(dir, "t/out.jsonl"), join(dir, "link.jsonl")]);
    const before = statSync(join(dir, "t/out.jsonl")).ino;
    const run = await runBin([
      "export",
      "-i",
      inputDir(),
      "-f",
      "jsonl",
      "-o",
      join(dir, "link.jsonl"),
      "-q",
    ]);
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, "t/out.jsonl"), "utf8")).toBe(LINES);
    expect(statSync(join(dir, "t/out.jsonl")).ino).not.toBe(before);
  });
});
