// A process killed with SIGKILL in the middle of gzipping a segment: the segment stays whole,
// at most a temporary file is left, and the next Tracker cleans up and compresses it.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { Tracker } from "../../src/index.js";
import { waitFor } from "../helpers/rotated-files.js";
import { startTs, waitForExit } from "../helpers/spawn-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const SEGMENT = "user.20250301T101500123Z.jsonl";

function sha(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function temps(directory: string): string[] {
  return readdirSync(directory).filter((f) => f.startsWith(`.${SEGMENT}.gz.tmp-`));
}

describe("a process killed while compressing a segment", () => {
  it("leaves the source intact and at most a temp file, which the next Tracker removes", async () => {
    const directory = tempDir();
    const lines: string[] = [];
    for (let i = 0; i < 120_000; i++) {
      const payload = { i, noise: randomBytes(120).toString("base64") };
      lines.push(
        JSON.stringify({
          schema_version: "telemetry_event_v1",
          channel: "user",
          event: "e",
          timestamp: "2025-03-01T10:00:00.000Z",
          payload,
        }),
      );
    }
    const original = Buffer.from(`${lines.join("\n")}\n`);
    writeFileSync(join(directory, SEGMENT), original);
    const child = startTs("test/fixtures/processes/compress-then-wait.ts", [directory]);
    // Kill it once the compressed copy has started to grow.
    await waitFor(
      () =>
        temps(directory).some(
          (t) => (statSync(join(directory, t), { throwIfNoEntry: false })?.size ?? 0) > 0,
        ),
      20_000,
    );
    child.kill("SIGKILL");
    expect((await waitForExit(child)).signal).toBe("SIGKILL");

    expect(sha(readFileSync(join(directory, SEGMENT)))).toBe(sha(original));
    expect(existsSync(join(directory, `${SEGMENT}.gz`))).toBe(false);
    expect(temps(directory).length).toBeLessThanOrEqual(1);
    // The dead process's maintenance lock is still there; its pid is gone, so it is stale.
    expect(existsSync(join(directory, ".user.maintain-lock"))).toBe(true);

    const next = new Tracker({ directory, rotate: { size: 1e9, compress: true, graceMs: 0 } });
    next.record("user", "restarted");
    await waitFor(() => !existsSync(join(directory, SEGMENT)), 20_000);
    await next.close();
    expect(sha(gunzipSync(readFileSync(join(directory, `${SEGMENT}.gz`))))).toBe(sha(original));
    expect(temps(directory)).toEqual([]);
    expect(existsSync(join(directory, ".user.maintain-lock"))).toBe(false);
  });
});
