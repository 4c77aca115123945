// Worker thread: processes the segments the pool sends, one at a time.
import { parentPort } from "node:worker_threads";
import { processSegment } from "./process-segment.js";
import type { SegmentTask } from "./segment.js";

const port = parentPort;
if (port !== null) {
  port.on("message", (task: SegmentTask) => {
    processSegment(task).then(
      (result) =>
        port.postMessage(
          { ok: true, result },
          result.columns ? [result.columns.micros.buffer as ArrayBuffer] : [],
        ),
      (error: unknown) =>
        port.postMessage({
          ok: false,
          message: error instanceof Error ? error.message : String(error),
        }),
    );
  });
}
