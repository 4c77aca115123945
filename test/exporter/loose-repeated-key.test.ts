// A payload with a repeated key is not canonical: its export must be what JSON.parse keeps (the
// last value), as for any other line that is not. Lines of other producers (whitespace between
// tokens) take the loose reader, where an empty key once escaped the repeated-key check.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const HEAD =
  '{"schema_version": "telemetry_event_v1", "channel": "user", "event": "e", "timestamp": "2026-01-01T00:00:00.000Z", "payload": ';
const PAYLOADS = [
  '{"": 1, "" : 2}',
  '{"" : 1, "": 2}',
  '{"a": {"" :1,"":2}, "b": 3}',
  '{"x" : 1, "x": 2}',
  '{"": 1, "y": 2}',
];

describe("export of a loose line whose payload repeats a key", () => {
  it("writes the payload JSON.parse makes of it, for every repeated key", async () => {
    const dir = tempDir();
    const input = join(dir, "events.jsonl");
    const lines = PAYLOADS.map((p) => `${HEAD}${p}}`);
    writeFileSync(input, `${lines.join("\n")}\n`);
    const output = join(dir, "out.jsonl");
    const run = await runCli(["export", "-i", input, "-f", "jsonl", "-o", output, "-q"]);
    expect(run.code).toBe(0);
    const written = readFileSync(output, "utf8").trimEnd().split("\n");
    expect(written).toEqual(lines.map((line) => JSON.stringify(JSON.parse(line))));
  });
});
