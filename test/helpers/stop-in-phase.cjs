// Preloaded (`--require`) into a CLI child: the process stops itself (SIGSTOP) at its first file
// system call made while it plans what to read (STOP_IN=plan: under `planScan`, every input
// listed already) or while it reads (STOP_IN=read: under `readInThread`, every file planned), so
// a test can rotate, compress and delete its inputs at exactly that point and then let it go on
// (SIGCONT). The bundled CLI keeps its functions' names.
const fs = require("node:fs");

const marker = { plan: " planScan (", read: " readInThread (", pool: " WorkerPool.map (" }[
  process.env.STOP_IN ?? ""
];
Error.stackTraceLimit = 64;
let stopped = false;
for (const name of [
  "openSync",
  "statSync",
  "lstatSync",
  "readdirSync",
  "existsSync",
  "createReadStream",
]) {
  const original = fs[name];
  fs[name] = function (...args) {
    if (!stopped && marker !== undefined && String(new Error().stack).includes(marker)) {
      stopped = true;
      process.kill(process.pid, "SIGSTOP");
    }
    return original.apply(this, args);
  };
}
