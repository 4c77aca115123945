import type { AggregateOptions, AggregateResult } from "../contracts.js";
import { prepareOutput } from "../plan/output-checks.js";
import { aggregateInputs } from "../report/aggregate-inputs.js";
import { writeJsonFile } from "../sinks/text-file.js";

/** Reads the inputs once and builds the aggregate report (counts, time range, inventory, anomalies). */
export async function aggregateEvents(options: AggregateOptions = {}): Promise<AggregateResult> {
  if (options.output !== undefined) prepareOutput(options.output, options.inputs);
  const result = await aggregateInputs(options);
  if (options.output !== undefined) {
    await writeJsonFile(options.output, result.report, options.inputs);
  }
  return result;
}
