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
    // Before any code is optimized, when results will be transferred (see detachEarly). Not
    // otherwise: code optimized in a thread that never detached a buffer is faster.
    if (!detached && (task.want.text !== undefined || task.want.columns)) {
      detachEarly();
      detached = true;
    }
    processSegment(task, {}, spare).then(
      (result) => {
        // Moved, not copied: the text and column buffers are the bulk of a result.
        const transfer: ArrayBuffer[] = result.columns ? columnBuffers(result.columns) : [];
        if (result.text) transfer.push(result.text.buffer as ArrayBuffer);
        port.postMessage({ ok: true, result }, transfer);
      },
      (error: unknown) =>
        port.postMessage({
          ok: false,
          message: error instanceof Error ? error.message : String(error),
        }),
    );
  });
}
