import { availableParallelism } from "node:os";
import { describe, expect, it, vi } from "vitest";
import { planWorkers } from "../../../src/exporter/plan/check-workers.js";

const MiB = 1024 * 1024;

// The cores this "machine" has: the documented default (one per core, at most 4) is checked on
// more cores than the test machine may have.
const machine = vi.hoisted(() => ({ cores: undefined as number | undefined }));
vi.mock("node:os", async (original) => {
  const os = await original<typeof import("node:os")>();
  return { ...os, availableParallelism: () => machine.cores ?? os.availableParallelism() };
});

describe("planWorkers (how many threads read a run's segments)", () => {
  it("takes a given count, capped by the segments there are", () => {
    expect(planWorkers(3, 1, 10)).toBe(3);
    expect(planWorkers(8, 1, 5)).toBe(5);
    expect(planWorkers(0, 512 * MiB, 100)).toBe(0);
  });

  it("chooses none below 32 MiB of input, and up to 4 (a core each) from there", () => {
    expect(planWorkers(undefined, 32 * MiB - 1, 100)).toBe(0);
    expect(planWorkers(undefined, 32 * MiB, 100)).toBe(Math.min(availableParallelism(), 4));
  });

  it.each([
    [1, 1],
    [3, 3],
    [4, 4],
    [16, 4],
  ])("by default, on %i cores, reads large inputs with %i threads", (cores, threads) => {
    machine.cores = cores;
    try {
      expect(planWorkers(undefined, 512 * MiB, 100)).toBe(threads);
    } finally {
      machine.cores = undefined;
    }
  });

  it("reads a single segment in this thread, whatever was asked", () => {
    expect(planWorkers(4, 512 * MiB, 1)).toBe(0);
    expect(planWorkers(undefined, 512 * MiB, 1)).toBe(0);
  });
});
