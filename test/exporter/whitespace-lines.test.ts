import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runBin } from "../helpers/run-bin.js";
import { tempDir } from "../helpers/temp-dir.js";

const EVENT =
  '{"schema_version":"telemetry_event_v1","channel":"user","event":"e","timestamp":"2025-03-01T10:00:00Z","payload":{}}';

describe("whitespace-only lines are blank, whatever their first character", () => {
  it("counts lines of carriage returns, spaces and tabs as blank (a CRLF file written again in text mode: \\r\\r\\n)", async () => {
    const input = join(tempDir(), "in");
    mkdirSync(input);
    // Every line ends in \r\r\n; four of them hold JSON whitespace only.
    const lines = [EVENT, "", " ", "\r", "\t", EVENT];
    writeFileSync(join(input, "events.jsonl"), lines.map((l) => `${l}\r\r\n`).join(""));
    const report = join(tempDir(), "aggregates.json");
    const validate = await runBin(["validate", "-i", input]);
    expect(validate.code, validate.stderr).toBe(0);
    const run = await runBin(["aggregate", "-i", input, "-o", report, "-q"]);
    expect(run.code, run.stderr).toBe(0);
    const { totals } = JSON.parse(readFileSync(report, "utf8"));
    expect(totals).toMatchObject({ lines: 6, valid: 2, invalid: 0, blank: 4 });
  });
});
