"use strict";
// Loads the bundled CLI (dist/cli/main.cjs) with the V8 code cache made for it at build time
// (scripts/cli-code-cache.mjs). Compiling the bundle's functions as a run first calls them took
// about a sixth of a short run: an incremental ETL that adds 1% to 10M events went from 0.42 s
// to 0.36 s with the cache (BENCHMARKS.md). Node 20 caches the code of no ES module, hence
// CommonJS. V8 refuses a cache made by another V8 or under other flags; a refused or missing
// cache costs only the compiling the cache would have saved.
const { readFileSync } = require("node:fs");
const { createRequire, wrap } = require("node:module");
const { dirname, join } = require("node:path");
const { Script } = require("node:vm");

/**
 * The CLI's main() from `dir` (dist/cli), and the compiled script; `useCache: false` compiles
 * without the cache (the build does, to make it). `cacheRejected`: whether V8 refused a cache.
 */
function loadCli(dir = join(__dirname, "..", "dist", "cli"), useCache = true) {
  const file = join(dir, "main.cjs");
  const source = wrap(readFileSync(file, "utf8"));
  let cachedData;
  if (useCache) {
    try {
      cachedData = readFileSync(`${file}.cache`);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new Script(source, { filename: file, cachedData });
  const module = { exports: {} };
  const run = script.runInThisContext();
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  const cacheRejected = cachedData === undefined ? undefined : script.cachedDataRejected === true;
  return { main: module.exports.main, script, cacheRejected };
}

module.exports = { loadCli };
