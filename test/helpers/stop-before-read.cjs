// Preloaded (`--require`) into a CLI child: the process stops itself (SIGSTOP) right before the
// first file read whose path matches STOP_BEFORE_READ (a regular expression), so a test can run
// another process at exactly that point and then let this one go on (SIGCONT).
const promises = require("node:fs/promises");

const pattern = new RegExp(process.env.STOP_BEFORE_READ ?? "(?!)");
const readFile = promises.readFile;
let stopped = false;
promises.readFile = (path, ...rest) => {
  if (!stopped && pattern.test(String(path))) {
    stopped = true;
    process.kill(process.pid, "SIGSTOP");
  }
  return readFile(path, ...rest);
};
