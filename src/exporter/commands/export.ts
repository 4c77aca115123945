import { TelemetryError } from "../../errors/index.js";
import {
  EXPORT_FORMATS,
  type ExportOptions,
  type ExportResult,
  MAX_ROW_GROUP_SIZE,
} from "../contracts.js";
import type { EventWriter } from "../sinks/event-writer.js";
import { createEventWriter, openSink } from "../sinks/open-sink.js";
import { readIntoSinks } from "../sinks/read-into-sinks.js";

/**
 * Reads the inputs once and writes every valid event (after filters) in the chosen format.
 * On any failure, including `--strict` stopping at an invalid line, nothing is written: a
 * previous output file stays as it was and no temp file is left.
 */
export async function exportEvents(options: ExportOptions): Promise<ExportResult> {
  const format = options.format ?? "json";
  if (!EXPORT_FORMATS.includes(format)) {
    throw new TelemetryError(
      "usage",
      `unknown format ${JSON.stringify(format)}; use json, jsonl or parquet`,
    );
  }
  const rows = options.rowGroupSize;
  if (
    rows !== undefined &&
    (!Number.isSafeInteger(rows) || rows < 1 || rows > MAX_ROW_GROUP_SIZE)
  ) {
    throw new TelemetryError(
      "usage",
      `--row-group-size must be a whole number from 1 to ${MAX_ROW_GROUP_SIZE.toLocaleString("en-US")}`,
    );
  }
  if (options.partitionBy !== undefined) {
    const { exportPartitioned } = await import("./export-partitioned.js");
    return exportPartitioned(options, format);
  }
  if (options.incremental === true) {
    throw new TelemetryError(
      "usage",
      "--incremental export needs --partition-by (one file cannot be added to)",
    );
  }
  const sink = await openSink(options.output, format, options.inputs);
  let writer: EventWriter | undefined;
  try {
    writer = await createEventWriter(format, sink, options.rowGroupSize);
    const scan = await readIntoSinks(options, [writer]);
    await writer.finish();
    return { scan, events: scan.totals.valid };
  } catch (error) {
    await (writer ?? sink).abort().catch(() => undefined);
    throw error;
  }
}
