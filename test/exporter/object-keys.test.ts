import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runBin } from "../helpers/run-bin.js";
import { tempDir } from "../helpers/temp-dir.js";

// docs/schema.md, "Objects as JavaScript reads them": array-index keys first, a duplicated key
// once with its last value. Python's json reads each input line to the same values.

const HEAD =
  '"schema_version":"telemetry_event_v1","channel":"user","timestamp":"2025-03-01T10:00:00.000Z"';

const CASES = [
  [`{${HEAD},"event":"a","payload":{"b":1,"2":2,"1":3}}`, '"payload":{"1":3,"2":2,"b":1}}'],
  [`{${HEAD},"event":"b","payload":{"a":1,"b":0,"a":2.50}}`, '"payload":{"a":2.50,"b":0}}'],
  [`{${HEAD},"event":"first","payload":{},"event":"last"}`, '"event":"last",'],
] as const;

const SAME_AS_PYTHON = `
import json, sys
inputs = open(sys.argv[1], encoding="utf-8").read().split("\\n")[:-1]
outputs = open(sys.argv[2], encoding="utf-8").read().split("\\n")[:-1]
def read(line):
    value = json.loads(line, parse_float=str, parse_int=str)
    del value["timestamp"]
    return value
assert [read(l) for l in inputs] == [read(l) for l in outputs], "differs"
print("same")
`;

describe("objects come out as JSON.parse and Python's json read them", () => {
  it("array-index keys first, a duplicated key once with its last value", async () => {
    const input = join(tempDir(), "in");
    mkdirSync(input);
    const source = join(input, "events.jsonl");
    writeFileSync(source, `${CASES.map(([line]) => line).join("\n")}\n`);
    const output = join(tempDir(), "events.jsonl");
    const run = await runBin(["export", "-i", input, "-f", "jsonl", "-o", output, "-q"]);
    expect(run.code, run.stderr).toBe(0);
    const lines = readFileSync(output, "utf8").trim().split("\n");
    expect(lines).toHaveLength(CASES.length);
    for (const [k, [, written]] of CASES.entries()) expect(lines[k]).toContain(written);
    const python = spawnSync("python3", ["-c", SAME_AS_PYTHON, source, output], {
      encoding: "utf8",
    });
    expect(python.stderr).toBe("");
    expect(python.stdout.trim()).toBe("same");
  });
});
