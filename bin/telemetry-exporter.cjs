#!/usr/bin/env node
"use strict";
// The `telemetry-exporter` command. CommonJS on purpose: Node starts a CommonJS entry faster
// than an ES module one (measured 0.11 s against 0.17 s under load, BENCHMARKS.md), and that is
// all `--help` costs: it prints the text yargs rendered at build time (help.json, written by
// `make help-text`; a test keeps it current) without loading yargs. Every other run loads the
// CLI, bundled into one file with its code cache (dist/cli, see load-cli.cjs and
// scripts/bundle-cli.mjs), and leaves error handling and exit codes to its main(). Once the CLI
// is loaded (V8 checks its code cache against V8's flags), V8 is told how worker threads
// compile their code (see src/exporter/cli/worker-compilation.ts).
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--help" || args[0] === "-h")) {
  // As main() does: a reader gone (EPIPE) is no error; a stdout that cannot be written is.
  process.stdout.on("error", (err) => {
    if (err.code === "EPIPE") return;
    process.stderr.write(`error: writing standard output failed (${err.code ?? err.message})\n`);
    process.exitCode = 1;
  });
  process.stdout.write(`${require("./help.json").main}\n`);
} else {
  const { main, tuneWorkerCompilation } = require("./load-cli.cjs").loadCli();
  tuneWorkerCompilation();
  main(args).then((code) => {
    process.exitCode = code;
  });
}
