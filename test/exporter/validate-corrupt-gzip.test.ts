import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const line = (i: number) =>
  `{"schema_version":"telemetry_event_v1","channel":"user","event":"e${i}","timestamp":"2025-03-01T10:00:00Z","payload":{}}\n`;

describe("validate on a corrupt .gz", () => {
  it("exits 3 and its summary line says a corrupt file hides records, not only '0 invalid'", async () => {
    const input = tempDir();
    const whole = gzipSync(Array.from({ length: 2000 }, (_, i) => line(i)).join(""));
    writeFileSync(join(input, "cut.jsonl.gz"), whole.subarray(0, whole.length / 2));
    const run = await runCli(["validate", "-i", input]);
    expect(run.code).toBe(3);
    const summary = run.stderr.split("\n")[0] ?? "";
    expect(summary).toMatch(/ 0 invalid \(and 1 corrupt \.gz file\), /);
    expect(run.stderr).toContain("invalid_gzip: 1");
  });

  it("says nothing of corrupt files when there is none", async () => {
    const input = tempDir();
    writeFileSync(join(input, "ok.jsonl.gz"), gzipSync(line(1)));
    const run = await runCli(["validate", "-i", input]);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain("corrupt");
  });
});
