// A failed rotation waits a second before the next attempt. That second is measured on a
// monotonic clock: on the wall clock, a step back (NTP, a corrected VM) right after a failure
// would put every later rotation off until the wall clock caught up again.
import * as fs from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type TelemetryError, Tracker } from "../../src/index.js";
import { channelFiles, channelLines } from "../helpers/rotated-files.js";
import { tempDir } from "../helpers/temp-dir.js";

vi.mock("node:fs", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs")>();
  return { ...actual, renameSync: vi.fn(actual.renameSync) };
});

const renameSync = vi.mocked(fs.renameSync);
afterEach(() => {
  vi.restoreAllMocks();
});

describe("a rotation that failed just before the wall clock stepped back", () => {
  it("is attempted again a second later, not once the clock is back where it was", async () => {
    const actual = await vi.importActual<typeof import("node:fs")>("node:fs");
    renameSync.mockImplementation(() => {
      throw Object.assign(new Error("EIO: i/o error, rename"), { code: "EIO" });
    });
    const directory = tempDir();
    const errors: TelemetryError[] = [];
    const t = new Tracker({
      directory,
      bufferBytes: 0,
      onError: (e) => errors.push(e),
      rotate: { size: 300 },
    });
    for (let i = 0; i < 20; i++) t.record("user", "e", { i });
    expect(errors).toHaveLength(1);
    expect(t.stats().rotated).toBe(0);

    renameSync.mockImplementation(actual.renameSync as typeof fs.renameSync);
    const wall = Date.now;
    vi.spyOn(Date, "now").mockImplementation(() => wall() - 365 * 86_400_000);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    for (let i = 20; i < 30; i++) t.record("user", "e", { i });
    await t.close();
    expect(t.stats().rotated).toBeGreaterThan(0);
    expect(channelFiles(directory, "user").length).toBeGreaterThan(1);
    const seqs = channelLines(directory, "user").map((line) => JSON.parse(line).payload.i);
    expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });
});
