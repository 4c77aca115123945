// Preloaded (`--require`) into a CLI child: the first time an incremental run opens a file whose
// path matches DENY_IDENTIFY (a regular expression) to identify its inputs, the open fails with
// EACCES, as a transient EMFILE or a permission changed for a moment would make it; every other
// open succeeds. Writes "denied: PATH" on stderr, so that a test knows the failure happened.
const fs = require("node:fs");

const pattern = new RegExp(process.env.DENY_IDENTIFY ?? "(?!)");
const openSync = fs.openSync;
let done = false;
fs.openSync = function (path, ...rest) {
  if (!done && pattern.test(String(path)) && /\bidentifyInputs\b/.test(new Error().stack ?? "")) {
    done = true;
    process.stderr.write(`denied: ${path}\n`);
    const error = new Error(`EACCES: permission denied, open '${path}'`);
    error.code = "EACCES";
    throw error;
  }
  return openSync.call(this, path, ...rest);
};
