// Preloaded (`--require`) into a CLI child: every promise open for writing of a path matching
// FAIL_OPEN (a regular expression) fails with ENOSPC, as a full disk makes the open of a new file
// fail (a run's report or state, after its events file was replaced). Opens for reading succeed.
const fsp = require("node:fs/promises");

const pattern = new RegExp(process.env.FAIL_OPEN ?? "(?!)");
const open = fsp.open;
fsp.open = function (path, flags, ...rest) {
  const writing = typeof flags === "string" && /[wa+]/.test(flags);
  if (!writing || !pattern.test(String(path))) return open.call(this, path, flags, ...rest);
  const error = new Error(`ENOSPC: no space left on device, open '${path}'`);
  error.code = "ENOSPC";
  return Promise.reject(error);
};
