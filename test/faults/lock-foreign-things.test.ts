// Things no run of the exporter makes, in the place of an etl output's lock: no run will ever
// remove them, so waiting --lock-wait and then saying "in use by another run ... try again when
// it has finished" sends the user round in circles. The refusal (exit 1) names what is there and
// says to remove it.
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { eventLine } from "../helpers/event-lines.js";
import { runBin } from "../helpers/run-bin.js";
import { tempDir } from "../helpers/temp-dir.js";

const CASES: readonly [string, (lock: string) => void, RegExp][] = [
  ["a FIFO", (lock) => execFileSync("mkfifo", [lock]), /holds a FIFO/],
  [
    "a lock directory holding a foreign file",
    (lock) => {
      mkdirSync(lock);
      writeFileSync(join(lock, ".DS_Store"), "");
    },
    /holds a file named \.DS_Store/,
  ],
  // A link to the output directory itself: the outputs then seemed to be inside the lock (exit
  // 2, "… is the run's own lock file"), which no path the user gave was.
  [
    "a symbolic link to the output directory",
    (lock) => symlinkSync(".", lock),
    /holds a symbolic link/,
  ],
  ["a broken symbolic link", (lock) => symlinkSync("nowhere", lock), /holds a symbolic link/],
  [
    "a directory named as a holder's token",
    (lock) => mkdirSync(join(lock, "0123456789abcdef"), { recursive: true }),
    /not a regular file/,
  ],
];

describe("a thing no run makes in the place of the lock", () => {
  it.each(CASES)("%s: exit 1, named, with what to do", async (_name, plant, named) => {
    const input = tempDir();
    writeFileSync(join(input, "app.jsonl"), `${eventLine()}\n`);
    const out = tempDir();
    plant(join(out, ".etl.lock"));
    const run = await runBin(["etl", "-i", input, "--output-dir", out, "-q", "--lock-wait", "0.2"]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(named);
    expect(run.stderr).toMatch(/remove it if no run is using the output/);
    expect(run.stderr).not.toMatch(/try again when it has finished/);
  });
});
