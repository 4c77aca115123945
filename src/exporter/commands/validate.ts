import type { ScanOptions, ValidateResult } from "../contracts.js";
import { type EngineTuning, planRun } from "../plan/run-plan.js";
import { readIntoSinks } from "../sinks/read-into-sinks.js";

/** Reads every input and checks every record against the schema; writes nothing. */
export async function validateEvents(
  options: ScanOptions = {},
  tuning?: EngineTuning,
): Promise<ValidateResult> {
  const scan = await readIntoSinks(planRun(options, [], { tuning }), []);
  const ok = scan.diagnostics.errors === 0 && scan.missing.length === 0;
  return { scan, ok };
}
