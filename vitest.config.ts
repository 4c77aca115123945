import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { defineConfig, type Plugin } from "vitest/config";
import { buildDir, compiledPath, ROOT } from "./test/setup/compiled-sources.js";
import { SlowestFirst } from "./test/setup/slow-first.js";

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

// Test files run one after another in a few reused processes (a new process for each file cost
// about a quarter second of CPU, 98 times), except files that change what every later file in
// their process would see: module mocks, stubbed environment, the working directory, and
// counts of process listeners. Those are found by their text, so a new one cannot be missed.
const PROCESS_STATE =
  /vi\.(mock|doMock|stubGlobal|stubEnv)\(|listenerCount|process\.listeners\(|process\.chdir\(/;
const testFiles = (readdirSync(join(ROOT, "test"), { recursive: true }) as string[])
  .filter((name) => name.endsWith(".test.ts"))
  .map((name) => join("test", name));
const isolated = testFiles.filter((file) =>
  PROCESS_STATE.test(readFileSync(join(ROOT, file), "utf8")),
);

export default defineConfig({
  plugins: [compiledSources],
  test: {
    globalSetup: ["test/setup/compiled-sources.ts"],
    setupFiles: ["test/setup/temp-dirs.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Vitest's default on a 2-core machine is one fork, so files ran one after another while
    // many of them wait on child processes, worker threads and fsync. Three forks on the 2-core
    // machine keep both cores busy through those waits (make test 86-88 s; two forks 92-96 s,
    // four 90 s).
    maxWorkers: 3,
    sequence: { sequencer: SlowestFirst },
    projects: [
      { extends: true, test: { name: "isolated", include: isolated, isolate: true } },
      {
        extends: true,
        test: { name: "shared", include: ["test/**/*.test.ts"], exclude: isolated, isolate: false },
      },
    ],
  },
});
