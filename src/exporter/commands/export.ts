import type { ExportOptions, ExportResult } from "../contracts.js";
import { checkApiOptions } from "../plan/api-options.js";
import { planExport } from "../plan/export-plan.js";
import { planLockWait } from "../plan/lock-wait.js";
import type { EngineTuning } from "../plan/run-plan.js";
import type { EventWriter } from "../sinks/event-writer.js";
import { createEventWriter, openSink } from "../sinks/open-sink.js";
import { readIntoSinks } from "../sinks/read-into-sinks.js";

/**
 * Reads the inputs once and writes every valid event (after filters) in the chosen format.
 * On any failure, including `--strict` stopping at an invalid line, nothing is written: a
 * previous output file stays as it was and no temp file is left; under `strict` a stream output
 * gets nothing either (it is held until the run ends).
 */
/** `tuning` is internal: how the engine divides its work (the CLI's `--workers`). */
export async function exportEvents(
  options: ExportOptions,
  tuning?: EngineTuning,
): Promise<ExportResult> {
  checkApiOptions("export", options);
  // Checked even for a single file, which takes no lock: a bad value is refused, never ignored.
  const lockWaitMs = planLockWait(options.lockWaitMs);
  const plan = planExport(options, tuning);
  if (plan.kind === "partitioned") {
    const { exportPartitioned } = await import("./export-partitioned.js");
    return exportPartitioned(plan, lockWaitMs);
  }
  const sink = await openSink(plan.output, plan.format, plan.holdIn);
  let writer: EventWriter | undefined;
  try {
    writer = await createEventWriter(plan.format, sink, plan.rowGroupSize);
    const scan = await readIntoSinks(plan.run, [writer]);
    await writer.finish();
    return { scan, events: scan.totals.valid };
  } catch (error) {
    await (writer ?? sink).abort().catch(() => undefined);
    throw error;
  }
}
