import { TelemetryError } from "../../errors/index.js";
import type { SegmentTask } from "./segment.js";

/**
 * A reader thread ends in one of two ways the run must tell apart. Before it said it was ready
 * (its code loaded, listening) it read nothing: a thread the OS or Node could not start (EMFILE,
 * EAGAIN, ENOMEM, ERR_WORKER_INIT_FAILED, a heap too small for its code) costs only speed, and
 * the segment it was handed goes to another thread, or this one. Once ready, it may have been
 * reading a segment when it ended (out of its heap, a crash, process.exit in the thread): that
 * fails the run. Such an end is a property of the segment as often as of the thread, so another
 * thread with the same heap would most likely end the same way, and this thread, with no heap
 * cap, could take the whole process down instead of failing with a message. Nothing of the
 * segment was taken in (a result is taken only whole), and every output is written aside and
 * renamed only at commit, so the failed run leaves the outputs and state as they were.
 */

/** The error of a run whose reader thread ended after it started; `task`: what it was reading. */
export function readerStopped(cause: Error, task: SegmentTask | undefined): TelemetryError {
  const segment = task?.segment;
  const where =
    segment === undefined
      ? ""
      : ` while it read ${segment.path} (bytes ${segment.start} to ${segment.end})`;
  const message =
    `a reader thread stopped${where}: ${cause.message}. No output file or state was replaced; ` +
    "`workers` 0 reads every segment in this thread instead";
  return new TelemetryError("io_error", message, { cause, path: ["workers"] });
}

/** The error of a segment whose reading failed (not the thread): the same in any thread. */
export function segmentFailed(message: string): TelemetryError {
  return new TelemetryError("io_error", `worker failed: ${message}`);
}
