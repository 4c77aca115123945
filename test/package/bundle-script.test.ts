import { isAscii } from "node:buffer";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp-dir.js";
import { ROOT } from "../setup/compiled-sources.js";

// A script printing, for each worker thread's bundle, whether V8 refused its code cache when a
// thread the CLI's way loaded it.
function threadCaches(loader: string): string {
  return `
    const { Worker } = require("node:worker_threads");
    const { dirname, join } = require("node:path");
    const loader = ${JSON.stringify(loader)};
    require(loader).loadCli().tuneWorkerCompilation();
    (async () => {
      for (const name of ["segment-worker.cjs", "parquet-encoder-worker.cjs"]) {
        const file = join(dirname(loader), "..", "dist", "cli", name);
        const code = \`const { parentPort } = require("node:worker_threads");
          const { cacheRejected } = require(\${JSON.stringify(loader)}).loadBundle(\${JSON.stringify(file)});
          parentPort.postMessage(String(cacheRejected));\`;
        const worker = new Worker(code, { eval: true, workerData: { generator: "test", rowGroupSize: 10 } });
        // The reader thread's bundle first says it is ready ({ ready: true }), as it does to the pool.
        const rejected = await new Promise((resolve) =>
          worker.on("message", (m) => typeof m === "string" && resolve(m)),
        );
        process.stdout.write(name + " " + rejected + "\\n");
        await worker.terminate();
      }
    })();`;
}

describe("scripts/bundle-cli.mjs", () => {
  it("bundles the CLI from a checkout whose path has a space and non-ASCII letters, its cache one a plain run takes whatever the builder's NODE_OPTIONS", () => {
    const checkout = join(tempDir(), "my checkout é");
    mkdirSync(join(checkout, "scripts"), { recursive: true });
    mkdirSync(join(checkout, "bin"));
    cpSync(join(ROOT, "src"), join(checkout, "src"), { recursive: true });
    cpSync(join(ROOT, "package.json"), join(checkout, "package.json"));
    for (const file of [
      "scripts/bundle-cli.mjs",
      "scripts/cli-code-cache.mjs",
      "scripts/ascii-bundle.mjs",
      "bin/load-cli.cjs",
    ]) {
      cpSync(join(ROOT, file), join(checkout, file), { recursive: true });
    }
    symlinkSync(join(ROOT, "node_modules"), join(checkout, "node_modules"), "dir");
    // A builder's NODE_OPTIONS (V8 flags) are not a user's: the cache is made without them.
    const { NODE_OPTIONS: _options, ...plain } = process.env;
    const run = spawnSync(process.execPath, ["scripts/bundle-cli.mjs"], {
      cwd: checkout,
      encoding: "utf8",
      env: { ...plain, NODE_OPTIONS: "--max-old-space-size=3000" },
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const loader = JSON.stringify(join(checkout, "bin/load-cli.cjs"));
    const load = spawnSync(process.execPath, ["-p", `require(${loader}).loadCli().cacheRejected`], {
      encoding: "utf8",
      env: plain,
    });
    expect(load.stderr).toBe("");
    expect(load.stdout).toBe("false\n");
    // Each worker thread's bundle, loaded as the CLI's threads load theirs: after the CLI has
    // set the V8 flags its threads are made with.
    const threads = spawnSync(
      process.execPath,
      ["-e", threadCaches(join(checkout, "bin/load-cli.cjs"))],
      {
        encoding: "utf8",
        env: plain,
      },
    );
    expect(threads.stderr).toBe("");
    expect(threads.stdout).toBe("segment-worker.cjs false\nparquet-encoder-worker.cjs false\n");
    const entries = [
      "main.cjs",
      "main.cjs.cache",
      "segment-worker.cjs",
      "segment-worker.cjs.cache",
      "parquet-encoder-worker.cjs",
      "parquet-encoder-worker.cjs.cache",
    ];
    for (const entry of entries) {
      expect(existsSync(join(checkout, "dist/cli", entry)), entry).toBe(true);
    }
    // Read as Latin-1 by bin/load-cli.cjs only when ASCII (scripts/ascii-bundle.mjs says why).
    for (const entry of entries.filter((e) => e.endsWith(".cjs"))) {
      expect(isAscii(readFileSync(join(checkout, "dist/cli", entry))), entry).toBe(true);
    }
  });
});
