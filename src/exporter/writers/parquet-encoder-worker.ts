// Worker thread: encodes Parquet row groups, so their transient memory lives in a capped heap.
import { parentPort, workerData } from "node:worker_threads";
import type { EventColumns } from "../engine/event-columns.js";
import { ParquetEncoder } from "./parquet-encoder.js";

type Request =
  | { kind: "group"; columns: EventColumns }
  | { kind: "finish" }
  | { kind: "file"; columns: EventColumns; omit: string[] };

// A whole file at once: magic, one row group and footer (for the parts of a partitioned export).
function encodeFile(columns: EventColumns, omit: readonly string[]): Uint8Array {
  const encoder = new ParquetEncoder(String(workerData), omit);
  const group = encoder.encodeGroup(columns);
  const footer = encoder.finish();
  const file = new Uint8Array(group.length + footer.length);
  file.set(group);
  file.set(footer, group.length);
  return file;
}

const port = parentPort;
if (port !== null) {
  const encoder = new ParquetEncoder(String(workerData));
  port.on("message", (request: Request) => {
    try {
      const bytes =
        request.kind === "file"
          ? encodeFile(request.columns, request.omit)
          : request.kind === "group"
            ? encoder.encodeGroup(request.columns)
            : encoder.finish();
      port.postMessage({ ok: true, bytes }, [bytes.buffer as ArrayBuffer]);
    } catch (error) {
      port.postMessage({
        ok: false,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  });
}
