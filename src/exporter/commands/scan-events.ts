import type { EventVisitor, ReadOptions, ScanResult } from "../contracts.js";
import { runScan } from "../engine/run-scan.js";
import type { Want } from "../engine/segment.js";
import { checkApiOptions } from "../plan/api-options.js";
import { planRead, requireSomeInput } from "../plan/run-plan.js";

const NO_WANT: Want = { counts: false, text: undefined, columns: false, allDiagnostics: false };

/**
 * Reads every input once, streaming: validates each line, reports diagnostics, and passes the
 * valid events that pass the filters to the visitors, in input order. Memory does not grow with
 * input size. Throws `input_error` when none of the inputs exists.
 */
export function scanEvents(
  options: ReadOptions,
  visitors: readonly EventVisitor[],
): Promise<ScanResult> {
  checkApiOptions("read", options);
  const read = planRead(options);
  requireSomeInput(read, options);
  return runScan(read, NO_WANT, undefined, visitors);
}
