import { spawn } from "node:child_process";
import { appendFileSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runEtl } from "../../src/exporter/index.js";
import { sparePathFor } from "../../src/exporter/sinks/keep-replaced.js";
import { NOW } from "../helpers/event-lines.js";
import { waitForExit } from "../helpers/spawn-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const bin = fileURLToPath(new URL("../../bin/telemetry-exporter.cjs", import.meta.url));

let serial = 0;
function lines(n: number): string {
  let text = "";
  for (let i = 0; i < n; i++) {
    const k = serial++;
    text += `{"schema_version":"telemetry_event_v1","channel":"user","event":"e${k % 7}","timestamp":"2025-03-01T10:00:00.000Z","payload":{"k":${k}}}\n`;
  }
  return text;
}

const keys = (path: string) =>
  (JSON.parse(readFileSync(path, "utf8")) as { payload: { k: number } }[])
    .map((e) => e.payload.k)
    .sort((a, b) => a - b);

// SIGKILL in the middle of writing the spare (the run cannot clean up, as after a power cut):
// the events file is untouched, the spare no longer what the state recorded, and the next run
// must not continue it.
describe("etl --incremental killed while it writes the spare", () => {
  it("leaves the events file as it was, and the next run's outputs are a full run's", async () => {
    const input = tempDir();
    const out = tempDir();
    const live = join(input, "user.jsonl");
    writeFileSync(live, lines(20_000));
    const etl = ["etl", "--incremental", "-i", input, "--output-dir", out, "-q"];
    const run = async () => {
      const child = spawn(process.execPath, [bin, ...etl], { stdio: "ignore" });
      expect((await waitForExit(child)).code).toBe(0);
    };
    await run();
    appendFileSync(live, lines(20_000));
    await run(); // copies the events file; the one it replaces is the spare
    const events = join(out, "telemetry_events.json");
    const spare = sparePathFor(events);
    const before = readFileSync(events);
    const spareMtime = statSync(spare).mtimeMs;
    appendFileSync(live, lines(300_000));
    const killed = spawn(process.execPath, [bin, ...etl], { stdio: "ignore" });
    const deadline = Date.now() + 20_000;
    while (statSync(spare).mtimeMs === spareMtime && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    killed.kill("SIGKILL");
    expect((await waitForExit(killed)).signal).toBe("SIGKILL");
    expect(statSync(spare).mtimeMs).not.toBe(spareMtime); // it was writing the spare
    expect(readFileSync(events).equals(before)).toBe(true);
    appendFileSync(live, lines(10));
    await run();
    const full = await runEtl({ inputs: [input], outputDir: tempDir(), now: NOW });
    expect(keys(events)).toEqual(keys(full.eventsPath));
    appendFileSync(live, lines(10));
    await run(); // and the spare it kept serves the next one
    const again = await runEtl({ inputs: [input], outputDir: tempDir(), now: NOW });
    expect(keys(events)).toEqual(keys(again.eventsPath));
  }, 180_000);
});
