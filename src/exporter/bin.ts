#!/usr/bin/env node
// `--help` is answered from the pre-rendered text, so it does not wait for yargs to load.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--help" || args[0] === "-h")) {
  const { MAIN_HELP } = await import("./cli/help-text.js");
  process.stdout.write(`${MAIN_HELP}\n`);
} else {
  const { main } = await import("./cli/main.js");
  process.exitCode = await main(args);
}
