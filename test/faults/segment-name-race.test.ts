// A segment's name taken by something else while a rotation picks it (a rotation of a holder
// wrongly taken for dead, a file put there by hand, a copy restored): whatever call of the
// rotation it comes before, the file already there keeps every event, and so does the rotated
// file. fs calls are intercepted, and the other file is made before each call in turn.
import * as fs from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it, vi } from "vitest";
import { Tracker } from "../../src/index.js";
import { eventLine } from "../helpers/event-lines.js";
import { channelLines } from "../helpers/rotated-files.js";
import { tempDir } from "../helpers/temp-dir.js";

const hook = vi.hoisted(() => ({
  before: undefined as ((name: string, args: unknown[]) => void) | undefined,
}));

vi.mock("node:fs", async (importOriginal) => {
  const { hookedSyncFs } = await import("../helpers/sync-fs-hook.js");
  return hookedSyncFs(await importOriginal(), (name, args) => hook.before?.(name, args));
});

const NOW = Date.UTC(2025, 2, 1, 10, 15, 0, 123);
const PAD = "x".repeat(150);
// The other writer's events: acknowledged, so never to be lost.
const THEIRS = [0, 1, 2].map((i) =>
  eventLine({
    channel: "user",
    event: "theirs",
    payload: { i },
    timestamp: "2025-03-01T10:00:00Z",
  }),
);

/**
 * Rotates, with `name` (a segment name of this rotation's stamp) made, full of another writer's
 * events, before the rotation's `k`-th fs call on the directory (unless it exists by then: this
 * rotation's own claim on it); `compressed`: and compressed before the next call (its .gz put in
 * place, then the plain file unlinked). How many calls the rotation made, and whether `name` was
 * made.
 */
function rotateWithNameTaken(
  directory: string,
  name: string,
  k: number,
  compressed: boolean,
): { calls: number; made: boolean } {
  const path = join(directory, name);
  const text = `${THEIRS.join("\n")}\n`;
  let made = false;
  const t = new Tracker({ directory, bufferBytes: 0, clock: () => NOW, rotate: { size: 200 } });
  t.record("user", "ours", { i: 0, PAD });
  let n = 0;
  const counting = (_call: string, args: unknown[]) => {
    if (typeof args[0] !== "string" || !args[0].startsWith(directory)) return;
    const at = n++;
    if (at !== k && !(compressed && made && at === k + 1)) return;
    hook.before = undefined;
    try {
      if (at === k) {
        fs.writeFileSync(path, text, { flag: "wx" });
        made = true;
      } else {
        fs.writeFileSync(`${path}.gz`, gzipSync(text));
        fs.unlinkSync(path);
      }
    } catch {
      // There already (this rotation's own claim on it).
    }
    hook.before = counting;
  };
  hook.before = counting;
  try {
    // Due: this write rotates the live file.
    t.record("user", "ours", { i: 1, PAD });
  } finally {
    hook.before = undefined;
  }
  expect(t.stats().rotated).toBe(1);
  t.record("user", "ours", { i: 2, PAD });
  void t.close();
  return { calls: n, made };
}

function events(directory: string): string[] {
  return channelLines(directory, "user")
    .map((line) => JSON.parse(line))
    .map((event) => `${event.event} ${event.payload.i}`);
}

describe("a segment name taken by something else during a rotation", () => {
  const cases: [string, boolean][] = [
    ["user.20250301T101500123Z.jsonl", false],
    ["user.20250301T101500123Z-1.jsonl", false],
    ["user.20250301T101500123Z.jsonl", true],
  ];
  for (const [name, compressed] of cases) {
    it(`loses no event, whichever call it comes before (${name}${compressed ? ", compressed at the next call" : ""})`, () => {
      let calls = Number.POSITIVE_INFINITY;
      let made = 0;
      for (let k = 0; k < calls; k++) {
        const directory = tempDir();
        const run = rotateWithNameTaken(directory, name, k, compressed);
        calls = Math.min(calls, run.calls);
        if (run.made) made++;
        const theirs = run.made ? ["theirs 0", "theirs 1", "theirs 2"] : [];
        expect(events(directory).sort(), `made before call ${k}`).toEqual([
          "ours 0",
          "ours 1",
          "ours 2",
          ...theirs,
        ]);
      }
      expect(calls).toBeGreaterThan(3);
      expect(made).toBeGreaterThan(3);
    });
  }
});
