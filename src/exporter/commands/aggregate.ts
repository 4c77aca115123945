import type { AggregateOptions, AggregateResult } from "../contracts.js";
import { checkApiOptions } from "../plan/api-options.js";
import { type EngineTuning, planRun } from "../plan/run-plan.js";
import { aggregateInputs } from "../report/aggregate-inputs.js";
import { writeJsonFile } from "../sinks/text-file.js";

/** Reads the inputs once and builds the aggregate report (counts, time range, inventory, anomalies). */
export async function aggregateEvents(
  options: AggregateOptions = {},
  tuning?: EngineTuning,
): Promise<AggregateResult> {
  checkApiOptions("aggregate", options);
  const output = options.output;
  const run = planRun(
    options,
    output === undefined ? [] : [{ path: output, kind: "file", option: ["output"] }],
    { tuning },
  );
  const result = await aggregateInputs(run, options.now);
  if (output !== undefined) await writeJsonFile(output, result.report);
  return result;
}
