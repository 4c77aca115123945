// Worker thread: processes the segments the pool sends, one at a time.
import { parentPort } from "node:worker_threads";
import { processSegment } from "./process-segment.js";
import type { SegmentRequest } from "./segment.js";

const port = parentPort;
if (port !== null) {
  port.on("message", ({ task, spare }: SegmentRequest) => {
    processSegment(task, {}, spare).then(
      // Nothing is transferred, so this thread never detaches a buffer (see sharedBuffer): the
      // bulk of a result (its text or payload column) is shared memory, passed as it is, and
      // the rest (column ids and offsets, a few bytes a row) is copied.
      (result) => port.postMessage({ ok: true, result }),
      (error: unknown) =>
        port.postMessage({
          ok: false,
          message: error instanceof Error ? error.message : String(error),
        }),
    );
  });
}
