import * as fs from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type TelemetryError, Tracker } from "../../src/index.js";
import { channelFiles, channelLines } from "../helpers/rotated-files.js";
import { tempDir } from "../helpers/temp-dir.js";

vi.mock("node:fs", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs")>();
  return {
    ...actual,
    renameSync: vi.fn(actual.renameSync),
    existsSync: vi.fn(actual.existsSync),
    readdirSync: vi.fn(actual.readdirSync),
  };
});

const renameSync = vi.mocked(fs.renameSync);
const existsSync = vi.mocked(fs.existsSync);
const readdirSync = vi.mocked(fs.readdirSync);
afterEach(() => {
  renameSync.mockReset();
  existsSync.mockReset();
  readdirSync.mockReset();
});

describe("a rotation that fails", () => {
  it("loses no event, reports at most one error a second, and rotates once the problem clears", async () => {
    const actual = await vi.importActual<typeof import("node:fs")>("node:fs");
    // The live file's rename fails; the rotation lock's own rename still works.
    renameSync.mockImplementation((from, to) => {
      if (!String(from).endsWith("/user.jsonl")) return actual.renameSync(from, to);
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

describe("a segment name taken by a racing rotation", () => {
  it("gets the -<n> suffix instead of replacing the other segment", async () => {
    const actual = await vi.importActual<typeof import("node:fs")>("node:fs");
    const directory = tempDir();
    const now = Date.UTC(2025, 2, 1, 10, 15, 0, 123);
    const taken = `${directory}/user.20250301T101500123Z.jsonl`;
    // Another rotator (one that broke a lock it wrongly took for stale) has just made that name:
    // it is not in the listing the stamp was chosen from.
    const theirs = '{"their":"segment"}\n';
    actual.writeFileSync(taken, theirs);
    readdirSync.mockImplementation(((path: fs.PathLike) =>
      (actual.readdirSync(path) as string[]).filter(
        (name) => name !== "user.20250301T101500123Z.jsonl",
      )) as typeof fs.readdirSync);
    const t = new Tracker({ directory, bufferBytes: 0, clock: () => now, rotate: { size: 200 } });
    for (let i = 0; i < 3; i++) t.record("user", "e", { i, pad: "x".repeat(150) });
    await t.close();
    readdirSync.mockImplementation(actual.readdirSync);
    expect(channelFiles(directory, "user").slice(0, 2)).toEqual([
      "user.20250301T101500123Z.jsonl",
      "user.20250301T101500123Z-1.jsonl",
    ]);
    expect(actual.readFileSync(taken, "utf8")).toBe(theirs);
  });
});
