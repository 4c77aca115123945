import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Vitest's default on a 2-core machine is one fork, so files ran one after another while
    // most of them wait on child processes, worker threads and fsync: two forks overlap that.
    maxWorkers: 2,
  },
});
