import { spawnSync } from "node:child_process";
import {
  appendFileSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { runBin } from "../helpers/run-bin.js";
import { tempDir } from "../helpers/temp-dir.js";

// `gzip user.jsonl` while a producer that reopens its file (the Tracker does) keeps writing:
// user.jsonl.gz holds the older events, a new user.jsonl the newer ones. Both are read, the
// .gz first. A compression still being written (its .gz a prefix of user.jsonl) is not.

const line = (event: string) =>
  `{"schema_version":"telemetry_event_v1","channel":"user","event":"${event}","timestamp":"2025-03-01T10:00:00.000Z","payload":{}}\n`;

const EVENTS_OF = `
import json, sys
print(json.dumps([e["event"] for e in json.load(open(sys.argv[1], encoding="utf-8"))]))
`;

function eventsOf(file: string): unknown {
  const python = spawnSync("python3", ["-c", EVENTS_OF, file], { encoding: "utf8" });
  expect(python.stderr).toBe("");
  return JSON.parse(python.stdout);
}

describe("a file compressed whole, then its name written again", () => {
  it("is read with the new file, older events first (export and the incremental ETL)", async () => {
    const input = join(tempDir(), "in");
    mkdirSync(input);
    const live = join(input, "user.jsonl");
    const out = tempDir();
    const etl = join(out, "etl");
    const incremental = () =>
      runBin(["etl", "--incremental", "-i", input, "--output-dir", etl, "-q"]);
    writeFileSync(live, line("old-1"));
    expect((await incremental()).code).toBe(0);
    appendFileSync(live, line("old-2"));
    // gzip: the .gz written, the source unlinked; then the producer makes the file again.
    writeFileSync(`${live}.gz`, gzipSync(readFileSync(live)));
    rmSync(live);
    writeFileSync(live, line("new-1"));
    const json = join(out, "events.json");
    const run = await runBin(["export", "-i", input, "-f", "json", "-o", json, "-q"]);
    expect(run.code, run.stderr).toBe(0);
    expect(eventsOf(json)).toEqual(["old-1", "old-2", "new-1"]);
    const again = await incremental();
    expect(again.code, again.stderr).toBe(0);
    expect(eventsOf(join(etl, "telemetry_events.json"))).toEqual(["old-1", "old-2", "new-1"]);
    appendFileSync(live, line("new-2"));
    expect((await incremental()).code).toBe(0);
    expect(eventsOf(join(etl, "telemetry_events.json"))).toEqual([
      ...["old-1", "old-2", "new-1", "new-2"],
    ]);
  });

  it("a compression still being written is not read beside its source", async () => {
    const input = join(tempDir(), "in");
    mkdirSync(input);
    const text = Array.from({ length: 200 }, (_, k) => line(`e-${k}`)).join("");
    writeFileSync(join(input, "user.jsonl"), text);
    const whole = gzipSync(text);
    const json = join(tempDir(), "events.json");
    for (const gz of [whole, whole.subarray(0, whole.length >> 1), Buffer.alloc(0)]) {
      writeFileSync(join(input, "user.jsonl.gz"), gz);
      const run = await runBin(["export", "-i", input, "-f", "json", "-o", json]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).not.toContain("invalid_gzip");
      expect((eventsOf(json) as string[]).length).toBe(200);
    }
    expect(readFileSync(join(input, "user.jsonl"), "utf8")).toBe(text);
  });
  it("is read when the live file is a symbolic link to the new file", async () => {
    const input = join(tempDir(), "in");
    mkdirSync(input);
    const real = join(tempDir(), "user.jsonl");
    writeFileSync(`${join(input, "user.jsonl")}.gz`, gzipSync(line("old-1")));
    writeFileSync(real, line("new-1"));
    symlinkSync(real, join(input, "user.jsonl"));
    const json = join(tempDir(), "events.json");
    const run = await runBin(["export", "-i", input, "-f", "json", "-o", json, "-q"]);
    expect(run.code, run.stderr).toBe(0);
    expect(eventsOf(json)).toEqual(["old-1", "new-1"]);
  });
});
