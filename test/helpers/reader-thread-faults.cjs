// Preloaded (`--require`) into a CLI child, and so into each of its threads (they inherit the
// process's execArgv): makes reader threads fail, for real where it can.
// - HOLD_FDS_LEAVE=n: once the descriptor budget has counted the open descriptors (its one read
//   of /proc/self/fd), the process opens /dev/null until EMFILE and closes n of them again: the
//   reader threads then start (or not) with n descriptors left, which the budget did not foresee.
// - START_OOM=1,3: the 1st and 3rd reader threads get a heap too small to load their code (a real
//   ERR_WORKER_OUT_OF_MEMORY before they are ready); START_THROW=2: constructing the 2nd throws
//   ERR_WORKER_INIT_FAILED, as Node does when the OS refuses a thread (a seam: root ignores the
//   process limit that would make it real). "all" for every reader thread.
// - ENCODER_START_OOM=1, ENCODER_START_THROW=1: the same for the Parquet encoder's threads (one a
//   writer: an export has one, `compact` one). ENCODER_DIE_AT=k: the encoder's thread ends itself
//   (process.exit(7)) when its kth request comes, after it started.
// - DIE_AT=k, DIE_HOW=oom|throw|exit: the reader thread handed segment k runs out of its heap
//   (real), throws an uncaught error, or ends itself (process.exit in a thread), before reading it.
const fs = require("node:fs");
const threads = require("node:worker_threads");

const picks = (name) => {
  const value = process.env[name];
  if (value === undefined || value === "") return () => false;
  if (value === "all") return () => true;
  const set = new Set(value.split(",").map(Number));
  return (n) => set.has(n);
};

if (threads.isMainThread) {
  const leave = process.env.HOLD_FDS_LEAVE;
  if (leave !== undefined) {
    const original = fs.readdirSync;
    let held = false;
    fs.readdirSync = function (path, ...rest) {
      const result = original.call(this, path, ...rest);
      if (!held && String(path) === "/proc/self/fd") {
        held = true;
        const fds = [];
        try {
          for (;;) fds.push(fs.openSync("/dev/null", "r"));
        } catch {
          // EMFILE: every descriptor is taken.
        }
        for (let i = 0; i < Number(leave); i++) fs.closeSync(fds.pop());
      }
      return result;
    };
  }
  const oom = picks("START_OOM");
  const refuse = picks("START_THROW");
  const encoderOom = picks("ENCODER_START_OOM");
  const encoderRefuse = picks("ENCODER_START_THROW");
  const Original = threads.Worker;
  let readers = 0;
  let encoders = 0;
  threads.Worker = function Worker(entry, options = {}) {
    const script = String(options.argv?.[0] ?? entry);
    if (script.includes("parquet-encoder-worker")) {
      encoders += 1;
      return starting(encoders, encoderRefuse, encoderOom, entry, options);
    }
    if (!script.includes("segment-worker")) return new Original(entry, options);
    readers += 1;
    return starting(readers, refuse, oom, entry, options);
  };
  // The `n`th thread of its kind: refused, given a heap too small for its code, or as asked.
  const starting = (n, refuse, oom, entry, options) => {
    if (refuse(n)) {
      const error = new Error("Worker initialization failure: EAGAIN");
      error.code = "ERR_WORKER_INIT_FAILED";
      throw error;
    }
    const limits = oom(n)
      ? { maxOldGenerationSizeMb: 1, maxYoungGenerationSizeMb: 1 }
      : options.resourceLimits;
    return new Original(entry, { ...options, resourceLimits: limits });
  };
} else if (process.env.DIE_AT !== undefined && threads.parentPort !== null) {
  const at = Number(process.env.DIE_AT);
  threads.parentPort.on("message", (message) => {
    if (message?.task?.segment?.index !== at) return;
    const how = process.env.DIE_HOW;
    if (how === "exit") process.exit(7);
    if (how === "throw") throw new Error(`injected crash in segment ${at}`);
    const hoard = [];
    for (;;) hoard.push(new Array(1e5).fill(hoard.length));
  });
} else if (
  process.env.ENCODER_DIE_AT !== undefined &&
  threads.parentPort !== null &&
  threads.workerData?.generator !== undefined
) {
  // The Parquet encoder's thread (its data names the generator) ends itself on its kth request.
  let requests = 0;
  threads.parentPort.on("message", () => {
    requests += 1;
    if (requests === Number(process.env.ENCODER_DIE_AT)) process.exit(7);
  });
}
