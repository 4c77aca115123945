import { checkRunOutputs, diagnosticsOutput } from "./plan/output-rules.js";
import type { ScanResult } from "./scan.js";
import { type ScanOptions, scanInto } from "./scan-into.js";

/** What validation found. */
export interface ValidateResult {
  readonly scan: ScanResult;
  /** True when every line is valid (or blank) and every input exists and was readable. */
  readonly ok: boolean;
}

/** Reads every input and checks every record against the schema; writes nothing. */
export async function validateEvents(options: ScanOptions = {}): Promise<ValidateResult> {
  checkRunOutputs(options.inputs, [diagnosticsOutput(options.diagnosticsFile)]);
  const scan = await scanInto(options, []);
  const ok = scan.diagnostics.errors === 0 && scan.missing.length === 0;
  return { scan, ok };
}
