// Worker thread: encodes Parquet row groups, so their transient memory lives in a capped heap.
import { parentPort, workerData } from "node:worker_threads";
import type { EventColumns } from "../engine/event-columns.js";
import { ParquetEncoder } from "./parquet-encoder.js";

type Request = { kind: "group"; columns: EventColumns } | { kind: "finish" };

const port = parentPort;
if (port !== null) {
  const encoder = new ParquetEncoder(String(workerData));
  port.on("message", (request: Request) => {
    try {
      const bytes =
        request.kind === "group" ? encoder.encodeGroup(request.columns) : encoder.finish();
      port.postMessage({ ok: true, bytes }, [bytes.buffer as ArrayBuffer]);
    } catch (error) {
      port.postMessage({
        ok: false,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  });
}
