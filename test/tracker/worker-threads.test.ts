import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readLines } from "../helpers/read-lines.js";
import { runTs } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("a Tracker inside a worker thread", () => {
  it.each([
    ["worker.terminate()", "terminate"],
    ["process.exit() on the main thread", "exit"],
  ])("has every event whose record() returned on disk after %s", async (_, mode) => {
    const directory = tempDir();
    const result = await runTs("test/fixtures/processes/worker-tracker.ts", [
      directory,
      mode,
      "10",
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("recorded 10, pending 0\n");
    const path = join(directory, "worker.jsonl");
    expect(existsSync(path)).toBe(true);
    const seqs = readLines(path).map((line) => JSON.parse(line).payload.i);
    expect(seqs).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it("buffers again when bufferBytes is given, as on the main thread", async () => {
    const directory = tempDir();
    const args = [directory, "buffered", "10"];
    const result = await runTs("test/fixtures/processes/worker-tracker.ts", args);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("recorded 10, pending 10\n");
  });
});
