import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scanEvents } from "../../src/exporter/index.js";
import { parseEvent, Tracker } from "../../src/index.js";
import { readLines } from "../helpers/read-lines.js";
import { startTs, waitForExit, waitForLine } from "../helpers/spawn-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const child = "test/fixtures/processes/record-until-killed.ts";

describe("a process killed while recording at full speed", () => {
  it("leaves every line valid but at most the last; the next writer starts on a fresh line", async () => {
    const directory = tempDir();
    const proc = startTs(child, [directory]);
    await waitForLine(proc, /^ready$/);
    proc.kill("SIGKILL");
    expect((await waitForExit(proc)).signal).toBe("SIGKILL");

    const path = join(directory, "crash.jsonl");
    const lines = readLines(path);
    expect(lines.length).toBeGreaterThan(1000);
    const invalid = lines
      .map((l, i) => [i, parseEvent(safeJson(l)).ok] as const)
      .filter(([, ok]) => !ok);
    expect(invalid.length).toBeLessThanOrEqual(1);
    if (invalid.length === 1) expect(invalid[0]?.[0]).toBe(lines.length - 1);
    // Sequence numbers are complete up to the last valid line: nothing earlier was lost.
    const seqs = lines
      .map((l) => parseEvent(safeJson(l)))
      .flatMap((r) => (r.ok ? [r.event.payload.i] : []));
    expect(seqs).toEqual(seqs.map((_, i) => i));

    const after = new Tracker({ directory });
    const next = after.record("crash", "after-restart");
    await after.close();
    const reread = readLines(path);
    expect(reread.at(-1)).toBe(JSON.stringify(next));
    const scan = await scanEvents({ inputs: [directory] }, []);
    expect(scan.totals.invalid).toBe(invalid.length);
    expect(scan.totals.valid).toBe(seqs.length + 1);
  });
});

describe("signals", () => {
  it("with handleSignals, SIGTERM flushes every acknowledged event and still ends the process", async () => {
    const directory = tempDir();
    const proc = startTs(child, [directory, "yes"]);
    const line = await waitForLine(proc, /^recorded \d+$/);
    const recorded = Number(line.split(" ")[1]);
    proc.kill("SIGTERM");
    expect((await waitForExit(proc)).signal).toBe("SIGTERM");
    expect(readLines(join(directory, "crash.jsonl"))).toHaveLength(recorded);
  });

  it("with handleSignals and an application handler, the application decides how to exit", async () => {
    const directory = tempDir();
    const proc = startTs(child, [directory, "yes", "yes"]);
    const line = await waitForLine(proc, /^recorded \d+$/);
    proc.kill("SIGTERM");
    expect(await waitForExit(proc)).toEqual({ code: 0, signal: null });
    expect(readLines(join(directory, "crash.jsonl"))).toHaveLength(Number(line.split(" ")[1]));
  });
});

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
