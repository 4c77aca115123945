"use strict";
// Loads the bundled CLI (dist/cli/main.cjs) with the V8 code cache made for it at build time
// (scripts/cli-code-cache.mjs), and, as a worker thread's entry, that thread's bundle beside it
// with its own cache. Compiling the bundle's functions as a run first calls them took
// about a sixth of a short run: an incremental ETL that adds 1% to 10M events went from 0.42 s
// to 0.36 s with the cache (BENCHMARKS.md). Node 20 caches the code of no ES module, hence
// CommonJS. V8 refuses a cache made by another V8 or under other flags; a refused or missing
// cache costs only the compiling the cache would have saved.
//
// V8 checks a cache's version, flags and the length of its source, not its bytes (outside debug
// builds): a damaged cache crashed the run (SIGSEGV, SIGTRAP) or ran wrong code, and one made
// for another bundle of the same length ran that bundle's functions. So the cache file starts
// with the CRC-32 of the bundle and that of the cache (made by scripts/cli-code-cache.mjs); V8
// is given the cache only when both match. A check against damage and mismatch, not against an
// attacker: whoever can write the cache can write the bundle beside it. SHA-256 took 6-10 ms of
// every run for the 2.4 MB, CRC-32 under 1 ms (and zlib is loaded by the bundle anyway).
const { isAscii } = require("node:buffer");
const { readFileSync } = require("node:fs");
const { createRequire, wrap } = require("node:module");
const { dirname, join } = require("node:path");
const { Script } = require("node:vm");
const { crc32 } = require("node:zlib");

/**
 * The CLI's main() and tuneWorkerCompilation() from `dir` (dist/cli), and the compiled script;
 * `useCache: false` compiles without the cache (the build does, to make it). `cacheRejected`:
 * whether V8 refused a cache.
 */
function loadCli(dir = join(__dirname, "..", "dist", "cli"), useCache = true) {
  const { exports, script, cacheRejected } = loadBundle(join(dir, "main.cjs"), useCache);
  const { main, tuneWorkerCompilation } = exports;
  return { main, tuneWorkerCompilation, script, cacheRejected };
}

/**
 * Runs the CommonJS bundle `file` (the CLI's, or a worker thread's: their code is cached the
 * same way, beside each file) with the code cache made for it, if it has one that matches;
 * returns its exports, the compiled script and whether V8 refused a cache.
 */
function loadBundle(file, useCache = true) {
  const bytes = readFileSync(file);
  const text = sourceText(bytes);
  let stored;
  if (useCache) {
    try {
      stored = readFileSync(`${file}.cache`);
    } catch {
      stored = undefined;
    }
  }
  const cachedData = stored === undefined ? undefined : checkedCache(stored, bytes);
  const script = new Script(wrap(text), { filename: file, cachedData });
  const module = { exports: {} };
  const run = script.runInThisContext();
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  const cacheRejected =
    stored === undefined
      ? undefined
      : cachedData === undefined || script.cachedDataRejected === true;
  return { exports: module.exports, script, cacheRejected };
}

/**
 * A bundle's text. The build keeps bundles ASCII (scripts/ascii-bundle.mjs), read here as Latin-1:
 * decoding them as UTF-8 took 10-20 ms and gave V8 a two-byte string. Any other file is UTF-8.
 */
function sourceText(bytes) {
  return isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
}

const DIGEST_BYTES = 8;

/** The digest a cache file starts with: the CRC-32 of the bundle's bytes, then of V8's data. */
function cacheDigest(bundle, data) {
  const digest = Buffer.alloc(DIGEST_BYTES);
  digest.writeUInt32BE(crc32(bundle), 0);
  digest.writeUInt32BE(crc32(data), 4);
  return digest;
}

/** V8's cache data from a cache file made for the bundle `bundle` (its bytes), or undefined. */
function checkedCache(stored, bundle) {
  if (stored.length <= DIGEST_BYTES) return undefined;
  const data = stored.subarray(DIGEST_BYTES);
  return cacheDigest(bundle, data).equals(stored.subarray(0, DIGEST_BYTES)) ? data : undefined;
}

/** A cache file's bytes for V8's cache `data` of the bundle whose bytes are `bundle`. */
function cacheFile(bundle, data) {
  return Buffer.concat([cacheDigest(bundle, data), data]);
}

module.exports = { loadCli, loadBundle, cacheFile };

// A worker thread's entry (src/exporter/engine/start-worker.ts): runs the bundle it is given.
if (require.main === module && !require("node:worker_threads").isMainThread) {
  loadBundle(process.argv[2]);
}
