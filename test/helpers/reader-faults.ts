// The built CLI in a real process with reader-thread faults (test/helpers/reader-thread-faults.cjs),
// an input of many one-segment files with an invalid line (so diagnostics are compared too), and
// snapshots of output directories to compare runs by.
import { spawn } from "node:child_process";
import { appendFileSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT } from "../setup/compiled-sources.js";
import { eventLine } from "./event-lines.js";
import { writeNumberedInput } from "./numbered-input.js";
import { BIN } from "./run-bin.js";
import { type ChildResult, finished } from "./run-child.js";

const HOOK = fileURLToPath(new URL("./reader-thread-faults.cjs", import.meta.url));

/** A command's arguments, given the input folder and a folder for its outputs. */
export type CommandArgs = (input: string, out: string) => string[];

function exportTo(format: string, input: string, output: string): string[] {
  return ["export", "--format", format, "-i", input, "-o", output];
}

/** The commands that read with reader threads and write outputs, by name. */
export const WRITING_COMMANDS: Record<string, CommandArgs> = {
  aggregate: (input, out) => ["aggregate", "-i", input, "-o", join(out, "aggregates.json")],
  "export --format json": (input, out) => exportTo("json", input, join(out, "events.json")),
  "export --format jsonl": (input, out) => exportTo("jsonl", input, join(out, "events.jsonl")),
  "export --format parquet": (input, out) =>
    exportTo("parquet", input, join(out, "events.parquet")),
  etl: (input, out) => ["etl", "-i", input, "--output-dir", out],
};

export const FILES = 40;
export const PER_FILE = 5;

/** Writes the input into `dir`: FILES files of PER_FILE events, the 8th with an invalid line. */
export function writeInput(dir: string): void {
  writeNumberedInput(dir, FILES, PER_FILE, 3, 7);
}

/** Appends one event to every input file. */
export function appendToInput(dir: string): void {
  for (let f = 0; f < FILES; f++) {
    const line = eventLine({ event: "late", payload: { f, i: PER_FILE } });
    appendFileSync(join(dir, `f${String(f).padStart(3, "0")}.jsonl`), `${line}\n`);
  }
}

/**
 * The CLI with `args` and `--workers 4` (no such flag: `workers` null), faults set by `env` (see
 * reader-thread-faults.cjs).
 */
export function runWithFaults(
  args: readonly string[],
  env: Record<string, string>,
  workers: string | null = "4",
): Promise<ChildResult> {
  const threads = workers === null ? [] : ["--workers", workers];
  const argv = ["--require", HOOK, BIN, ...args, ...threads];
  const child = spawn(process.execPath, argv, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return finished(child);
}

// The time a report was made, the one thing two runs over the same input may not agree on.
const GENERATED = /("generated_at": "|datetime="|>)\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g;

/**
 * Every file under `dir` (dotfiles too), by path relative to it: its bytes as text, with the
 * time of the report's making masked when `maskTime`.
 */
export function snapshot(dir: string, maskTime = true): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const text = readFileSync(path, "latin1");
        files[relative(dir, path)] = maskTime ? text.replace(GENERATED, "$1TIME") : text;
      }
    }
  };
  walk(dir);
  return files;
}
