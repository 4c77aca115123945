// Preloaded (`--require`) into a CLI child: the first time the run opens a file whose path
// matches DELETE_ON_OPEN (a regular expression), the file is deleted just before, as retention
// deletes a segment between a run's listing of its inputs and its first look into them.
const fs = require("node:fs");

const pattern = new RegExp(process.env.DELETE_ON_OPEN ?? "(?!)");
const openSync = fs.openSync;
let done = false;
fs.openSync = function (path, ...rest) {
  if (!done && pattern.test(String(path))) {
    done = true;
    fs.rmSync(path, { force: true });
  }
  return openSync.call(this, path, ...rest);
};
