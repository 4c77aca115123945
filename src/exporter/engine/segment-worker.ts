// Worker thread: processes the segments the pool sends, one at a time.
import { parentPort } from "node:worker_threads";
import { detachEarly } from "./detach-early.js";
import { columnBuffers } from "./event-columns.js";
import { processSegment } from "./process-segment.js";
import type { SegmentRequest } from "./segment.js";

const port = parentPort;
let detached = false;
if (port !== null) {
  port.on("message", ({ task, spare }: SegmentRequest) => {
    // Columns are moved, so this thread will detach buffers: it does so before any code is
    // optimized (see detachEarly). Text is shared memory, passed as it is (see sharedBuffer):
    // such a thread, like one that only counts, never detaches a buffer.
    if (!detached && task.want.columns) {
      detachEarly();
      detached = true;
    }
    processSegment(task, {}, spare).then(
      (result) => {
        const moved = result.columns ? columnBuffers(result.columns) : [];
        port.postMessage({ ok: true, result }, moved);
      },
      (error: unknown) =>
        port.postMessage({
          ok: false,
          message: error instanceof Error ? error.message : String(error),
        }),
    );
  });
  // Its code is loaded and it listens: from now on, its end fails the run (see reader-stopped.ts).
  port.postMessage({ ready: true });
}
