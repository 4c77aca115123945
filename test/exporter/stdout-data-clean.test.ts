import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { eventLine } from "../helpers/event-lines.js";
import { runBin } from "../helpers/run-bin.js";
import { tempDir } from "../helpers/temp-dir.js";

function inputDir(): string {
  const input = tempDir();
  const lines = [eventLine({ event: "a" }), eventLine({ event: "b" }), "not json"];
  writeFileSync(join(input, "a.jsonl"), `${lines.join("\n")}\n`);
  return input;
}

// Real processes: /dev/stdout is then the pipe the test reads, as `| jq` would.
describe("an output written to stdout by another name holds only its data", () => {
  it("aggregate -o /dev/stdout is one JSON document, as jq reads it", async () => {
    const run = await runBin(["aggregate", "-i", inputDir(), "-o", "/dev/stdout", "-q"]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.totals).toMatchObject({ valid: 2, invalid: 1 });
  });

  it("report -o /dev/stdout is the page and nothing after it", async () => {
    const run = await runBin(["report", "-i", inputDir(), "-o", "/dev/stdout", "-q"]);
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith("<!doctype html>")).toBe(true);
    expect(run.stdout.trimEnd().endsWith("</html>")).toBe(true);
  });

  it("--diagnostics /dev/stdout is JSON Lines only", async () => {
    const output = join(tempDir(), "events.json");
    const args = ["export", "-i", inputDir(), "-f", "json", "-o", output];
    const run = await runBin([...args, "--diagnostics", "/dev/stdout", "-q"]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines.map((line) => JSON.parse(line).code)).toEqual(["invalid_json"]);
  });
});
