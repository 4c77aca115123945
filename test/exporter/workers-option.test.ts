import { describe, expect, it } from "vitest";
import { isTelemetryError } from "../../src/errors/index.js";
import { MAX_WORKERS } from "../../src/exporter/contracts.js";
import { validateEvents } from "../../src/exporter/index.js";
import { runCli } from "../helpers/cli.js";
import { recordSample } from "../helpers/sample-events.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("--workers bounds", () => {
  it("is 32 at most, a bound the help shows", () => {
    expect(MAX_WORKERS).toBe(32);
  });

  it.each(["-1", "0.5", "NaN", "abc", "", "300", "33", "1e1", "0x10", "Infinity"])(
    "refuses --workers %j as a usage error (exit 2)",
    async (value) => {
      const dir = tempDir();
      await recordSample(dir, 5);
      const run = await runCli(["validate", "-i", dir, "--workers", value]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("--workers must be a whole number from 0 to 32 (got ");
      expect(run.stdout).toBe("");
    },
  );

  it.each(["0", "1", "32"])(
    "accepts --workers %s, with the same result as one thread",
    async (value) => {
      const dir = tempDir();
      await recordSample(dir, 5);
      const run = await runCli(["validate", "-q", "-i", dir, "--workers", value]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("all 7 records are valid");
    },
  );

  it("the API refuses an out-of-range count with a usage error carrying the path [workers]", async () => {
    const dir = tempDir();
    await recordSample(dir, 5);
    for (const workers of [-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, 33, 300]) {
      const error = await validateEvents({ inputs: [dir] }, { workers }).catch((e: unknown) => e);
      expect(isTelemetryError(error, "usage")).toBe(true);
      const { path, message } = error as { path: unknown[]; message: string };
      expect(path).toEqual(["workers"]);
      expect(message).toMatch(/^`workers` must be a whole number from 0 to 32 \(got /);
    }
    const ok = await validateEvents({ inputs: [dir] }, { workers: 32, segmentBytes: 256 });
    expect(ok.ok).toBe(true);
  });
});
