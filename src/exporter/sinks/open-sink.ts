import { TelemetryError } from "../../errors/index.js";
import type { ExportFormat, OutputStream } from "../contracts.js";
import type { EventWriter } from "./event-writer.js";
import { TextEventWriter } from "./event-writer.js";
import { HeldSink } from "./held-sink.js";
import { openOutputSink } from "./open-output-sink.js";
import { AtomicFileSink, type OutputSink, StreamSink } from "./output-sink.js";

/**
 * Opens the sink for `output` (checked by the run's plan); refuses Parquet on a stream. `holdIn`:
 * a stream output (stdout, a FIFO, a device) is held in a temp file of that directory until the
 * run commits (see held-sink.ts); a file is atomic already.
 */
export async function openSink(
  output: string | OutputStream,
  format: ExportFormat,
  holdIn?: string,
): Promise<OutputSink> {
  const sink = await openUnheld(output, format);
  if (holdIn === undefined || sink instanceof AtomicFileSink) return sink;
  return HeldSink.open(sink, holdIn);
}

async function openUnheld(output: string | OutputStream, format: ExportFormat) {
  if (typeof output !== "string") {
    if (format === "parquet") {
      throw new TelemetryError(
        "usage",
        "Parquet cannot be written to a stream; give `output` a file path (/dev/stdout writes it through standard output's descriptor)",
        { path: ["output"] },
      );
    }
    return new StreamSink(output);
  }
  return openOutputSink(output);
}

/** The writer of `format` into `sink`. */
export async function createEventWriter(
  format: ExportFormat,
  sink: OutputSink,
  rowGroupSize: number,
): Promise<EventWriter> {
  if (format !== "parquet") return new TextEventWriter(sink, format);
  // Loaded only on this path: the Parquet library is the heaviest dependency.
  const { createParquetWriter } = await import("./parquet/parquet-writer.js");
  return createParquetWriter(sink, rowGroupSize);
}
