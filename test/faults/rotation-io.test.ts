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
afterEach(() => renameSync.mockReset());

describe("a rotation that fails", () => {
  it("loses no event, reports at most one error a second, and rotates once the problem clears", async () => {
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
    for (let i = 0; i < 50; i++) t.record("user", "e", { i });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.code).toBe("io_error");
    expect(errors[0]?.message).toMatch(/user\.jsonl could not be rotated \(EIO\)$/);
    expect(t.stats()).toMatchObject({ written: 50, dropped: 0, errors: 1, rotated: 0 });

    renameSync.mockImplementation(actual.renameSync as typeof fs.renameSync);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    for (let i = 50; i < 60; i++) t.record("user", "e", { i });
    await t.close();
    expect(t.stats().rotated).toBeGreaterThan(0);
    expect(channelFiles(directory, "user").length).toBeGreaterThan(1);
    const seqs = channelLines(directory, "user").map((line) => JSON.parse(line).payload.i);
    expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });
});
