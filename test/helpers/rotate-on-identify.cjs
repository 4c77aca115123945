// Preloaded (`--require`) into a CLI child: the first time an incremental run opens a file whose
// path matches ROTATE_ON_IDENTIFY (a regular expression) to identify its inputs, the file is
// renamed to ROTATE_TO just before, so the open finds nothing (ENOENT), and a new file holding
// ROTATE_NEXT is made at the path right after: a writer rotating its live file while the run
// identifies its inputs, and writing its next event.
const fs = require("node:fs");

const pattern = new RegExp(process.env.ROTATE_ON_IDENTIFY ?? "(?!)");
const openSync = fs.openSync;
let done = false;
fs.openSync = function (path, ...rest) {
  if (!done && pattern.test(String(path)) && /\bidentifyInputs\b/.test(new Error().stack ?? "")) {
    done = true;
    fs.renameSync(path, process.env.ROTATE_TO);
    try {
      return openSync.call(this, path, ...rest);
    } finally {
      fs.writeFileSync(path, process.env.ROTATE_NEXT ?? "");
    }
  }
  return openSync.call(this, path, ...rest);
};
