import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readLines } from "../helpers/read-lines.js";
import { runTs } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";

describe('record() in process.on("exit") handlers', () => {
  it.each([
    ["a natural exit", "natural", 0],
    ["process.exit()", "exit", 3],
  ])("writes every event on %s, before or after the exit flush", async (_, mode, code) => {
    const directory = tempDir();
    const result = await runTs("test/fixtures/processes/record-in-exit-handler.ts", [
      directory,
      mode,
    ]);
    expect(result.code, result.stderr).toBe(code);
    const events = readLines(join(directory, "user.jsonl")).map((l) => JSON.parse(l));
    expect(events.map((e) => e.event)).toEqual([
      "main",
      "exit-handler-before",
      "exit-handler-after",
    ]);
    expect(events[2].payload).toEqual({ code });
    const late = readLines(join(directory, "late.jsonl")).map((l) => JSON.parse(l).event);
    expect(late).toEqual(["created-in-exit-handler"]);
  });
});
