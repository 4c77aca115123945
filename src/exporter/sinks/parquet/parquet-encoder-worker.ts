// Worker thread: encodes Parquet row groups, so their transient memory lives in a capped heap.
import { parentPort, workerData } from "node:worker_threads";
import { detachEarly } from "../../engine/detach-early.js";
import { movable } from "../../engine/segment-memory.js";
import type { EncoderData } from "./encoder-data.js";
import { type EncoderRequest, encoderSession } from "./encoder-session.js";

// Before any code is optimized: this thread transfers every file part it encodes.
detachEarly();
const answer = encoderSession(workerData as EncoderData);

const port = parentPort;
if (port !== null) {
  port.on("message", (request: EncoderRequest) => {
    try {
      const { bytes, spent } = answer(request);
      port.postMessage({ ok: true, bytes, spent }, [
        bytes.buffer as ArrayBuffer,
        ...movable(spent),
      ]);
    } catch (error) {
      port.postMessage({
        ok: false,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  });
  // Loaded: from now on, a thread that ends has taken requests with it (encoder-thread.ts).
  port.postMessage({ ready: true });
}
