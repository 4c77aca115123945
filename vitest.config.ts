import { defineConfig, type Plugin } from "vitest/config";
import { buildDir, compiledPath } from "./test/setup/compiled-sources.js";

// Set before the forks start, so that every test process and its children see the same build.
buildDir();

/** Resolves every import of a `src/` file to its compiled copy (see test/setup/compiled-sources.ts). */
const compiledSources: Plugin = {
  name: "compiled-sources",
  enforce: "pre",
  async resolveId(source, importer, options) {
    const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
    if (resolved === null || resolved.external) return resolved;
    const id = compiledPath(resolved.id);
    return id === resolved.id ? resolved : { ...resolved, id };
  },
};

export default defineConfig({
  plugins: [compiledSources],
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/compiled-sources.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Vitest's default on a 2-core machine is one fork, so files ran one after another while
    // most of them wait on child processes, worker threads and fsync: two forks overlap that.
    maxWorkers: 2,
  },
});
