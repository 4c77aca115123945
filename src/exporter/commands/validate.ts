import type { ScanOptions, ValidateResult } from "../contracts.js";
import { checkApiOptions } from "../plan/api-options.js";
import { type EngineTuning, planRun, requireSomeFile } from "../plan/run-plan.js";
import { readIntoSinks } from "../sinks/read-into-sinks.js";

/**
 * Reads every input and checks every record against the schema; writes nothing. Inputs that
 * hold no file at all are an error (`input_error`), as inputs that do not exist are.
 */
export async function validateEvents(
  options: ScanOptions = {},
  tuning?: EngineTuning,
): Promise<ValidateResult> {
  checkApiOptions("validate", options);
  const plan = planRun(options, [], { tuning });
  requireSomeFile(plan.read);
  const scan = await readIntoSinks(plan, []);
  const ok = scan.diagnostics.errors === 0 && scan.missing.length === 0;
  return { scan, ok };
}
