import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { planWorkers } from "../../../src/exporter/plan/check-workers.js";

const MiB = 1024 * 1024;

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

  it("reads a single segment in this thread, whatever was asked", () => {
    expect(planWorkers(4, 512 * MiB, 1)).toBe(0);
    expect(planWorkers(undefined, 512 * MiB, 1)).toBe(0);
  });
});
