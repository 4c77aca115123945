// Preloaded (`--require`) into a CLI child: the process SIGKILLs itself right after the first
// rename whose destination matches KILL_AFTER_RENAME (a regular expression), as a power cut
// at that very point would stop it. SIGKILL cannot be handled: nothing is cleaned up.
const promises = require("node:fs/promises");

const pattern = new RegExp(process.env.KILL_AFTER_RENAME ?? "(?!)");
const rename = promises.rename;
promises.rename = async (from, to) => {
  await rename(from, to);
  if (pattern.test(String(to))) process.kill(process.pid, "SIGKILL");
};
