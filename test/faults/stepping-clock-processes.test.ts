// Rotation by day under a clock that steps forward and back across midnight, in real processes:
// one is killed mid-run, another started later continues in the same directory with a clock a
// day behind the newest segment's stamp. Every acknowledged event is read back exactly once by
// the exporter (segments compressed or not), and segment names stay in rotation order.
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scanEvents } from "../../src/exporter/index.js";
import type { TelemetryEvent } from "../../src/index.js";
import { channelFiles, channelLines } from "../helpers/rotated-files.js";
import { runTs } from "../helpers/run-child.js";
import { startTs, waitForExit, waitForLine } from "../helpers/spawn-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const FIXTURE = "test/fixtures/processes/stepping-clock-writer.ts";
const START = Date.UTC(2025, 2, 1, 23, 59);

function acked(root: string, id: string): number[] {
  return readFileSync(join(root, `acked-${id}`), "utf8")
    .split("\n")
    .filter(Boolean)
    .map(Number);
}

describe("a clock stepping across midnight in processes that rotate daily", () => {
  it("loses and duplicates no acknowledged event through a SIGKILL and a restart", async () => {
    const root = tempDir();
    const directory = join(root, "telemetry");
    mkdirSync(directory);
    const killed = startTs(FIXTURE, [directory, "killed", String(START)]);
    await waitForLine(killed, /^ready$/);
    killed.kill("SIGKILL");
    expect((await waitForExit(killed)).signal).toBe("SIGKILL");

    const args = [directory, "later", String(START - 24 * 3_600_000), "3000"];
    const later = await runTs(FIXTURE, args);
    expect(later.code, later.stderr).toBe(0);
    expect(JSON.parse(later.stdout.trim().split("\n").at(-1) ?? "")).toMatchObject({
      written: 3000,
      dropped: 0,
      errors: 0,
    });

    const seen = new Map<string, number>();
    const count = (event: TelemetryEvent) => {
      const key = `${event.payload.id}:${event.payload.i}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    };
    const scan = await scanEvents({ inputs: [directory] }, [{ event: count }]);
    expect(scan.totals.invalid).toBe(0);
    for (const id of ["killed", "later"]) {
      for (const i of acked(root, id)) expect(seen.get(`${id}:${i}`), `${id} ${i}`).toBe(1);
    }
    // At most the event being recorded when the kill came is on disk unacknowledged.
    expect(scan.totals.valid - acked(root, "killed").length - 3000).toBeLessThanOrEqual(1);
    const files = channelFiles(directory, "shared");
    expect(files.length).toBeGreaterThan(10);
    // Name order is rotation order: read file by file, each process's events come in order.
    const order = channelLines(directory, "shared").map((line) => JSON.parse(line).payload);
    for (const id of ["killed", "later"]) {
      const is = order.filter((p) => p.id === id).map((p) => p.i as number);
      expect(is).toEqual([...is].sort((a, b) => a - b));
    }
    expect(readdirSync(directory).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });
});
